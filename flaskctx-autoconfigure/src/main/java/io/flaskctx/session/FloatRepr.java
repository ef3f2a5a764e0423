package io.flaskctx.session;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * A double as Python's {@code json} writes it: {@code float.__repr__} ({@code 1.0}, {@code 0.1},
 * {@code 1e+100}, {@code 1e-05}, {@code -0.0}), and {@code NaN}, {@code Infinity}, {@code -Infinity} for the
 * values JSON has no number for. The digits are the shortest that read back as the same double, the nearest
 * such when there are several; Java 17's {@code Double.toString} is not always that short ({@code 2.0E23}
 * prints as {@code 1.9999999999999998E23}), so the digits are searched for here.
 */
final class FloatRepr {

    private FloatRepr() {
    }

    static String of(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e16) {
            // whole numbers below 10^16 print in full with ".0", the common case
            return (long) value + ".0";
        }
        BigDecimal digits = shortest(Math.abs(value));
        String unscaled = digits.unscaledValue().toString();
        // the value is 0.<unscaled> x 10^point
        int point = unscaled.length() - digits.scale();
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (point <= -4 || point > 16) {
            out.append(unscaled.charAt(0));
            if (unscaled.length() > 1) {
                out.append('.').append(unscaled, 1, unscaled.length());
            }
            int exponent = point - 1;
            out.append(exponent < 0 ? "e-" : "e+");
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (point <= 0) {
            out.append("0.");
            out.append("0".repeat(-point));
            out.append(unscaled);
        } else if (point >= unscaled.length()) {
            out.append(unscaled).append("0".repeat(point - unscaled.length())).append(".0");
        } else {
            out.append(unscaled, 0, point).append('.').append(unscaled, point, unscaled.length());
        }
        return out.toString();
    }

    /** The shortest decimal that reads back as {@code value} (positive, finite), without trailing zeros. */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        // Double.toString always reads back, so its digit count bounds the search; whether some decimal of
        // p digits reads back only gets truer as p grows, so step down until it fails.
        int precision = significantDigits(Double.toString(value));
        while (precision > 1 && nearestReadingBack(exact, value, precision - 1) != null) {
            precision--;
        }
        BigDecimal best = nearestReadingBack(exact, value, precision);
        return (best != null ? best : exact.round(new MathContext(17, RoundingMode.HALF_EVEN))).stripTrailingZeros();
    }

    /** Of the two decimals of {@code precision} digits around {@code exact}, the nearer one that reads back. */
    private static @Nullable BigDecimal nearestReadingBack(BigDecimal exact, double value, int precision) {
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
        boolean downReads = down.doubleValue() == value;
        boolean upReads = up.doubleValue() == value;
        if (downReads && upReads) {
            int compare = exact.subtract(down).compareTo(up.subtract(exact));
            if (compare != 0) {
                return compare < 0 ? down : up;
            }
            return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        }
        return downReads ? down : upReads ? up : null;
    }

    private static int significantDigits(String javaRepr) {
        int end = javaRepr.indexOf('E');
        String mantissa = end < 0 ? javaRepr : javaRepr.substring(0, end);
        String digits = mantissa.replace(".", "").replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, Math.min(17, digits.length()));
    }
}
