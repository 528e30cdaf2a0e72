package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SurfaceFormTest {

    @Test
    void caseSpacingAndClosingQuestionMark_areIgnored() {
        assertThat(SurfaceForm.same("How do I overcome my inferiority complex ?",
                "how do I overcome my  inferiority complex")).isTrue();
    }

    @Test
    void innerSymbols_keepQuestionsApart() {
        assertThat(SurfaceForm.same("Should I learn C++?", "Should I learn C?")).isFalse();
        assertThat(SurfaceForm.same("What is Z+ security?", "What is Z security?")).isFalse();
    }

    @Test
    void differentWord_keepsQuestionsApart() {
        assertThat(SurfaceForm.same("What is Python?", "What is Java?")).isFalse();
    }
}
