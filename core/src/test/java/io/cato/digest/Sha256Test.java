package io.cato.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void hex_matchesTheStandardTestVector() {
        assertThat(Sha256.hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hexPrefix_isTheDigestsFirstBytes_andTextIsHashedAsUtf8() {
        assertThat(Sha256.hexPrefix("abc", 16)).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
        assertThat(Sha256.hex("é")).isEqualTo(Sha256.hex(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }
}
