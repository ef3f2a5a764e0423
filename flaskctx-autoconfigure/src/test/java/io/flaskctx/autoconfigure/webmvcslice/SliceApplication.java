package io.flaskctx.autoconfigure.webmvcslice;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application a {@code @WebMvcTest} in this package finds: its components are scanned from here. */
@SpringBootApplication
public class SliceApplication {
}
