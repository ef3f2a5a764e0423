/** Every controller here belongs to the blueprint "reports", declared once on the package. */
@Blueprint("reports")
package io.flaskctx.autoconfigure.reports;

import io.flaskctx.Blueprint;
