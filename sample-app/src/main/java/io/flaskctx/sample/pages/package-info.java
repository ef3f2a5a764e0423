/**
 * The sample's server-rendered pages under {@code /pages}: every controller here belongs to the blueprint
 * {@code pages} (declared once, on this package); {@link io.flaskctx.sample.pages.AdminPages} is the blueprint
 * {@code admin} nested in it, which requires a login.
 */
@Blueprint("pages")
package io.flaskctx.sample.pages;

import io.flaskctx.Blueprint;
