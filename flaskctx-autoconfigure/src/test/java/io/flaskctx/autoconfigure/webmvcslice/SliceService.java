package io.flaskctx.autoconfigure.webmvcslice;

import org.springframework.stereotype.Service;

/** A plain component without hooks: a {@code @WebMvcTest} must still leave it out. */
@Service
class SliceService {
}
