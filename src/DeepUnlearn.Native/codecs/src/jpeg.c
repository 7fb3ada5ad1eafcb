/* JPEG through libjpeg-turbo's TurboJPEG API (2.1). */
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

#include "codecs_internal.h"

static const char* tj_message(tjhandle handle)
{
    const char* text = tjGetErrorStr2(handle);
    return text != NULL ? text : "unknown libjpeg-turbo error";
}

/* Whether the JPEG carries an Adobe APP14 marker before its first scan (then CMYK is stored inverted). */
static int has_adobe_marker(const uint8_t* data, int64_t size)
{
    int64_t i = 2;
    while (i + 4 <= size && data[i] == 0xff)
    {
        const uint8_t marker = data[i + 1];
        if (marker == 0xda || marker == 0xd9)
        {
            break;
        }
        const int64_t length = ((int64_t)data[i + 2] << 8) | data[i + 3];
        if (marker == 0xee && length >= 7 && i + 4 + 5 <= size && memcmp(data + i + 4, "Adobe", 5) == 0)
        {
            return 1;
        }
        i += 2 + length;
    }
    return 0;
}

/* Reads the header with an existing decompressor. */
static int32_t read_header(tjhandle tj, const uint8_t* data, int64_t size, du_image_info* info, int* colorspace,
                           du_status* status)
{
    int width = 0, height = 0, subsamp = 0;
    if (tjDecompressHeader3(tj, data, (unsigned long)size, &width, &height, &subsamp, colorspace) != 0)
    {
        return du_fail(status, DU_CODECS_ERR_CORRUPT, "undecodable JPEG header: %s", tj_message(tj));
    }
    if (width <= 0 || height <= 0)
    {
        /* TurboJPEG's memory source ends short data with a fake EOI, so a file cut before its frame header
         * parses as "tables only" with no size. */
        return du_fail(status, DU_CODECS_ERR_CORRUPT,
                       "undecodable JPEG header: no image frame (%dx%d); the data is truncated or holds tables only",
                       width, height);
    }
    info->format = DU_CODECS_FORMAT_JPEG;
    info->width = width;
    info->height = height;
    info->channels = *colorspace == TJCS_GRAY ? 1 : 3;
    return DU_CODECS_OK;
}

int32_t du_jpeg_info(const uint8_t* data, int64_t size, du_image_info* info, du_status* status)
{
    tjhandle tj = tjInitDecompress();
    if (tj == NULL)
    {
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "libjpeg-turbo could not create a decompressor: %s",
                       tj_message(NULL));
    }
    int colorspace = 0;
    const int32_t rc = read_header(tj, data, size, info, &colorspace, status);
    tjDestroy(tj);
    return rc;
}

/* Pillow's CMYK -> RGB in place (4 bytes per pixel in, 3 out, so each write lands at or before its read):
 * Adobe (Photoshop) JPEGs store inverted inks; then R = (1 - C)(1 - K) in Pillow's fixed point
 * (cmyk2rgb: nk - MULDIV255(c, nk), nk = 255 - k). */
static void cmyk_to_rgb(uint8_t* pixels, int64_t count, int inverted)
{
    for (int64_t i = 0; i < count; ++i)
    {
        const uint8_t* p = pixels + 4 * i;
        const int nk = inverted ? p[3] : 255 - p[3];
        int rgb[3];
        for (int c = 0; c < 3; ++c)
        {
            const int ink = inverted ? 255 - p[c] : p[c];
            const int product = ink * nk + 128;
            const int value = nk - (((product >> 8) + product) >> 8);
            rgb[c] = value < 0 ? 0 : (value > 255 ? 255 : value);
        }
        pixels[3 * i] = (uint8_t)rgb[0];
        pixels[3 * i + 1] = (uint8_t)rgb[1];
        pixels[3 * i + 2] = (uint8_t)rgb[2];
    }
}

int32_t du_jpeg_decode(const uint8_t* data, int64_t size, int32_t channels, int32_t layout, int64_t max_pixels,
                       uint8_t* out, int64_t out_capacity, du_image_info* info, du_status* status)
{
    tjhandle tj = tjInitDecompress();
    if (tj == NULL)
    {
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "libjpeg-turbo could not create a decompressor: %s",
                       tj_message(NULL));
    }
    int colorspace = 0;
    int32_t rc = read_header(tj, data, size, info, &colorspace, status);
    if (rc == DU_CODECS_OK)
    {
        rc = du_check_decode(info, channels, max_pixels, out_capacity, status);
    }
    if (rc != DU_CODECS_OK)
    {
        tjDestroy(tj);
        return rc;
    }
    const int cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
    const int file_gray = colorspace == TJCS_GRAY;
    const int32_t dst_channels = info->channels;
    const int64_t pixels = (int64_t)info->width * info->height;
    /* What libjpeg-turbo writes: CMYK as is; gray files as gray (replicated to RGB by du_emit); colour
     * as RGB, reduced to gray by du_emit with Pillow's luma rather than by taking libjpeg's Y. */
    const int pixel_format = cmyk ? TJPF_CMYK : (file_gray ? TJPF_GRAY : TJPF_RGB);
    const int32_t decoded_channels = cmyk ? 4 : (file_gray ? 1 : 3);
    const int direct = !cmyk && decoded_channels == dst_channels &&
                       (dst_channels == 1 || layout == DU_CODECS_LAYOUT_HWC);
    uint8_t* scratch = NULL;
    uint8_t* target = out;
    if (!direct)
    {
        scratch = malloc((size_t)(pixels * decoded_channels));
        if (scratch == NULL)
        {
            tjDestroy(tj);
            return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "out of memory decoding a %dx%d JPEG", (int)info->width,
                           (int)info->height);
        }
        target = scratch;
    }
    /* TJFLAG_LIMITSCANS: refuse progressive JPEGs with an absurd number of scans (a CPU bomb). */
    if (tjDecompress2(tj, data, (unsigned long)size, target, info->width, 0, info->height, pixel_format,
                      TJFLAG_LIMITSCANS) != 0)
    {
        const char* message = tj_message(tj);
        /* A warning still yields an image; the one we refuse is libjpeg's JWRN_JPEG_EOF ("Premature end
         * of JPEG file"): the data stopped early and libjpeg filled the rest with grey. */
        const int truncated = strstr(message, "Premature end") != NULL;
        if (tjGetErrorCode(tj) != TJERR_WARNING || truncated)
        {
            rc = du_fail(status, DU_CODECS_ERR_CORRUPT, "%s JPEG data: libjpeg-turbo: %s",
                         truncated ? "truncated" : "corrupt", message);
        }
    }
    tjDestroy(tj);
    if (rc == DU_CODECS_OK && !direct)
    {
        if (cmyk)
        {
            cmyk_to_rgb(scratch, pixels, has_adobe_marker(data, size));
        }
        du_emit(scratch, cmyk ? 3 : decoded_channels, pixels, dst_channels, layout, out);
    }
    free(scratch);
    return rc;
}

int32_t du_jpeg_encode(const uint8_t* hwc, int32_t channels, int32_t height, int32_t width, int32_t quality,
                       uint8_t** out, int64_t* out_size, du_status* status)
{
    const int subsamp = channels == 1 ? TJSAMP_GRAY : TJSAMP_444;
    const unsigned long bound = tjBufSize(width, height, subsamp);
    if (bound == (unsigned long)-1)
    {
        return du_fail(status, DU_CODECS_ERR_ARGUMENT, "libjpeg-turbo cannot size a %dx%d JPEG", (int)height,
                       (int)width);
    }
    /* Our own buffer (TJFLAG_NOREALLOC), so the caller frees it with du_codecs_free like a PNG's. */
    unsigned char* buffer = malloc(bound);
    if (buffer == NULL)
    {
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "out of memory encoding a %dx%d JPEG", (int)height,
                       (int)width);
    }
    tjhandle tj = tjInitCompress();
    if (tj == NULL)
    {
        free(buffer);
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "libjpeg-turbo could not create a compressor: %s",
                       tj_message(NULL));
    }
    unsigned long written = bound;
    const int format = channels == 1 ? TJPF_GRAY : TJPF_RGB;
    if (tjCompress2(tj, hwc, width, 0, height, format, &buffer, &written, subsamp, quality,
                    TJFLAG_ACCURATEDCT | TJFLAG_NOREALLOC) != 0)
    {
        const int32_t rc = du_fail(status, DU_CODECS_ERR_ARGUMENT, "libjpeg-turbo could not encode the image: %s",
                                   tj_message(tj));
        tjDestroy(tj);
        free(buffer);
        return rc;
    }
    tjDestroy(tj);
    *out = buffer;
    *out_size = (int64_t)written;
    return DU_CODECS_OK;
}
