/**
 * JMH benchmarks of flaskctx beside the context mechanisms Java developers already use: a raw
 * {@code ThreadLocal}, Spring's {@code RequestContextHolder} and {@code @RequestScope}, OpenTelemetry's
 * {@code Context} and gRPC's {@code Context}. Each class is one group of rows in {@code BENCHMARKS.md}; its
 * baseline is named in the class comment. Run them with {@code benchmarks/run.sh}.
 */
package io.flaskctx.bench;
