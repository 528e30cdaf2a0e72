package io.cato.model;

/**
 * An image in a user message, decoded from a {@code data:} URL or a base64 source.
 *
 * @param mediaType image/png, image/jpeg, image/gif or image/webp
 */
public record ImageInput(String mediaType, byte[] bytes) {

    /** Converse's {@code format}: png, jpeg, gif or webp. */
    public String format() {
        return mediaType.substring(mediaType.indexOf('/') + 1);
    }

    public String base64() {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    public String dataUrl() {
        return "data:" + mediaType + ";base64," + base64();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageInput image && image.mediaType.equals(mediaType)
                && java.util.Arrays.equals(image.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * mediaType.hashCode() + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ImageInput[" + mediaType + ", " + bytes.length + " bytes]";
    }
}
