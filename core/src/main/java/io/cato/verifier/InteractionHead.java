package io.cato.verifier;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A learned scorer of an {@link InteractionVector}, whose log-odds become one input of the trees. */
sealed interface InteractionHead permits MlpHead {

    /** Kind tag in the weights file, so another head type can be added without breaking stored files. */
    int MLP = 2;

    double logOdds(float[] interaction);

    void writeTo(DataOutputStream out) throws IOException;

    static void write(InteractionHead head, DataOutputStream out) throws IOException {
        out.writeByte(MLP);
        head.writeTo(out);
    }

    static InteractionHead read(DataInputStream in) throws IOException {
        int kind = in.readByte();
        return switch (kind) {
            case MLP -> MlpHead.readFrom(in);
            default -> throw new IOException("unknown interaction head kind " + kind);
        };
    }
}
