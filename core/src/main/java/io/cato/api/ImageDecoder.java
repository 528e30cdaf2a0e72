package io.cato.api;

import io.cato.model.ImageInput;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an image a caller sends (an OpenAI {@code data:} URL, an Anthropic base64 source) into bytes, checking the
 * media type against what the bytes are and the size against what Bedrock takes per image. Remote URLs are not
 * fetched: a gateway that fetches URLs for its callers reaches wherever they point it.
 */
final class ImageDecoder {
    /** Bedrock's limit for one image. */
    static final int MAX_IMAGE_BYTES = 3_750_000;
    /** Bedrock's limit of images in one request. */
    static final int MAX_IMAGES = 20;
    private static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private ImageDecoder() {
    }

    static ImageInput fromUrl(String url, String field) {
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            throw new ApiException(ErrorCode.REMOTE_IMAGE_NOT_FETCHED, field + ": Cato does not fetch image URLs; "
                    + "send the image inline as a data: URL (data:image/png;base64,...)", field);
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (comma < 0 || !header.endsWith(";base64")) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": a data: URL must be base64 encoded", field);
        }
        return decode(header.substring(0, header.length() - ";base64".length()), url.substring(comma + 1), field);
    }

    static ImageInput decode(String mediaType, String base64, String field) {
        String type = mediaType.strip().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": image type must be image/png, image/jpeg, "
                    + "image/gif or image/webp, got '" + mediaType + "'", field);
        }
        if (base64.length() > MAX_IMAGE_BYTES / 3 * 4 + 8) {
            throw tooLarge(field);
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": the image is not valid base64", field);
        }
        if (bytes.length > MAX_IMAGE_BYTES) {
            throw tooLarge(field);
        }
        if (!matches(type, bytes)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": the image's bytes are not " + type, field);
        }
        return new ImageInput(type, bytes);
    }

    private static ApiException tooLarge(String field) {
        return new ApiException(ErrorCode.IMAGE_TOO_LARGE, field + ": an image may have at most " + MAX_IMAGE_BYTES
                + " bytes", field);
    }

    /** The file signature of each type, so a mislabelled image fails here instead of at the provider. */
    private static boolean matches(String type, byte[] b) {
        return switch (type) {
            case "image/png" -> starts(b, 0x89, 'P', 'N', 'G');
            case "image/jpeg" -> starts(b, 0xFF, 0xD8, 0xFF);
            case "image/gif" -> starts(b, 'G', 'I', 'F', '8');
            case "image/webp" -> starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E'
                    && b[10] == 'B' && b[11] == 'P';
            default -> false;
        };
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
