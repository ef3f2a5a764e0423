package io.flaskctx.autoconfigure;

import org.springframework.beans.factory.aot.BeanRegistrationExcludeFilter;
import org.springframework.beans.factory.support.RegisteredBean;

/**
 * Keeps {@link MountedAppBeans} out of the code Spring AOT generates. AOT processing runs the post-processor at
 * build time, so the {@code flaskApp.<name>} definitions it registers are generated code already; were the
 * post-processor generated too, it would run again at start-up and register them a second time ("bean
 * 'flaskApp.admin' … already been defined"). Excluding its registration is the contract Spring offers for a
 * bean-definition post-processor whose work AOT has captured, as Spring's own AOT processors are excluded; checking
 * {@code AotDetector.useGeneratedArtifacts()} in the post-processor instead would use a class Spring keeps for its
 * internal use, and still create and run the post-processor at every start. As with every condition under AOT, the
 * set of mounted apps is fixed when {@code process-aot} runs; their mounts and config are still read at start-up.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
final class MountedAppBeansAotExclusion implements BeanRegistrationExcludeFilter {

    @Override
    public boolean isExcludedFromAotProcessing(RegisteredBean registeredBean) {
        return MountedAppBeans.class.isAssignableFrom(registeredBean.getBeanClass());
    }
}
