package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A kept {@link CodeTree} builds, after {@link CodeTree#clear()}, exactly what a new one builds from the same
 * counts, whether the last block's counts were built into a code or not (a failure between counting and building
 * must not leak counts into the next payload).
 */
class CodeTreeTest {

    @Test
    void aClearedTreeBuildsWhatANewOneBuilds() {
        Random random = new Random(286);
        CodeTree kept = tree();
        for (int round = 0; round < 200; round++) {
            int[] symbols = random.ints(1 + random.nextInt(400), 0, 286).toArray();
            boolean built = random.nextBoolean();
            // the last block: counted, then built or not, then cleared
            for (int s : random.ints(random.nextInt(300), 0, 286).toArray()) {
                kept.count(s);
            }
            if (built) {
                kept.build();
            }
            kept.clear();

            CodeTree fresh = tree();
            for (int s : symbols) {
                kept.count(s);
                fresh.count(s);
            }
            kept.build();
            fresh.build();
            assertThat(kept.maxCode).as("round %d", round).isEqualTo(fresh.maxCode);
            assertThat(kept.optimalBits).as("round %d", round).isEqualTo(fresh.optimalBits);
            assertThat(Arrays.copyOf(kept.len, 286)).as("round %d", round).isEqualTo(Arrays.copyOf(fresh.len, 286));
            assertThat(kept.code).as("round %d", round).isEqualTo(fresh.code);
            kept.clear();
        }
    }

    private static CodeTree tree() {
        return new CodeTree(286, CodeTree.MAX_BITS, 257, Inflate.LENGTH_EXTRA, null, 0);
    }
}
