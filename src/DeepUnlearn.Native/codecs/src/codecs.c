/* du_codecs' exports: argument checks, format sniffing, dispatch to jpeg.c / png.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#if defined(__has_include)
#if __has_include(<jconfig.h>)
#include <jconfig.h>
#endif
#endif

#include "codecs_internal.h"

static const uint8_t k_png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

int32_t du_fail(du_status* status, int32_t code, const char* format, ...)
{
    if (status != NULL && status->message != NULL && status->capacity > 0)
    {
        va_list args;
        va_start(args, format);
        vsnprintf(status->message, (size_t)status->capacity, format, args);
        va_end(args);
    }
    return code;
}

void du_emit(const uint8_t* src, int32_t src_channels, int64_t pixels, int32_t dst_channels, int32_t layout,
             uint8_t* out)
{
    if (src_channels == 3 && dst_channels == 1)
    {
        for (int64_t i = 0; i < pixels; ++i)
        {
            out[i] = du_luma(src[3 * i], src[3 * i + 1], src[3 * i + 2]);
        }
        return;
    }
    if (src_channels == 1 && dst_channels == 3)
    {
        for (int64_t i = 0; i < pixels; ++i)
        {
            if (layout == DU_CODECS_LAYOUT_CHW)
            {
                out[i] = out[pixels + i] = out[2 * pixels + i] = src[i];
            }
            else
            {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = src[i];
            }
        }
        return;
    }
    if (dst_channels == 1 || layout == DU_CODECS_LAYOUT_HWC)
    {
        memcpy(out, src, (size_t)(pixels * dst_channels));
        return;
    }
    uint8_t* r = out;
    uint8_t* g = out + pixels;
    uint8_t* b = out + 2 * pixels;
    for (int64_t i = 0; i < pixels; ++i)
    {
        r[i] = src[3 * i];
        g[i] = src[3 * i + 1];
        b[i] = src[3 * i + 2];
    }
}

int32_t du_check_decode(du_image_info* info, int32_t channels, int64_t max_pixels, int64_t out_capacity,
                        du_status* status)
{
    const int64_t pixels = (int64_t)info->width * info->height;
    if (pixels > max_pixels)
    {
        return du_fail(status, DU_CODECS_ERR_TOO_LARGE,
                       "the %s header declares %dx%d = %lld pixels, more than the limit of %lld pixels",
                       info->format == DU_CODECS_FORMAT_JPEG ? "JPEG" : "PNG", (int)info->width, (int)info->height,
                       (long long)pixels, (long long)max_pixels);
    }
    if (channels != DU_CODECS_CHANNELS_KEEP)
    {
        info->channels = channels;
    }
    const int64_t needed = pixels * info->channels;
    if (out_capacity < needed)
    {
        return du_fail(status, DU_CODECS_ERR_ARGUMENT,
                       "the output buffer holds %lld bytes; a %dx%dx%d image needs %lld", (long long)out_capacity,
                       (int)info->channels, (int)info->height, (int)info->width, (long long)needed);
    }
    return DU_CODECS_OK;
}

static int is_png(const uint8_t* data, int64_t size)
{
    return size >= 8 && memcmp(data, k_png_magic, 8) == 0;
}

static int is_jpeg(const uint8_t* data, int64_t size)
{
    return size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

static int32_t not_an_image(const uint8_t* data, int64_t size, du_status* status)
{
    char start[3 * 8 + 1] = {0};
    size_t used = 0;
    for (int64_t i = 0; i < size && i < 8; ++i)
    {
        used += (size_t)snprintf(start + used, sizeof(start) - used, i == 0 ? "%02x" : " %02x", data[i]);
    }
    return du_fail(status, DU_CODECS_ERR_FORMAT, "not a JPEG or PNG image (%lld bytes starting %s)", (long long)size,
                   start);
}

static int32_t check_data(const uint8_t* data, int64_t size, du_status* status)
{
    if (size < 0 || (size > 0 && data == NULL))
    {
        return du_fail(status, DU_CODECS_ERR_ARGUMENT, "image data is NULL or has a negative length");
    }
    if (size == 0)
    {
        return du_fail(status, DU_CODECS_ERR_FORMAT, "empty image data (0 bytes)");
    }
    return DU_CODECS_OK;
}

DU_CODECS_EXPORT int32_t du_codecs_read_info(const uint8_t* data, int64_t size, du_image_info* info, char* message,
                                             int32_t message_capacity)
{
    du_status status = {message, message_capacity};
    int32_t rc = check_data(data, size, &status);
    if (rc != DU_CODECS_OK)
    {
        return rc;
    }
    if (info == NULL)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "info is NULL");
    }
    if (is_png(data, size))
    {
        return du_png_info(data, size, info, &status);
    }
    if (is_jpeg(data, size))
    {
        return du_jpeg_info(data, size, info, &status);
    }
    return not_an_image(data, size, &status);
}

DU_CODECS_EXPORT int32_t du_codecs_decode(const uint8_t* data, int64_t size, int32_t channels, int32_t layout,
                                          int64_t max_pixels, uint8_t* out, int64_t out_capacity, du_image_info* info,
                                          char* message, int32_t message_capacity)
{
    du_status status = {message, message_capacity};
    int32_t rc = check_data(data, size, &status);
    if (rc != DU_CODECS_OK)
    {
        return rc;
    }
    if (channels != DU_CODECS_CHANNELS_KEEP && channels != DU_CODECS_CHANNELS_GRAY &&
        channels != DU_CODECS_CHANNELS_RGB)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "channels must be 0 (keep), 1 (gray) or 3 (RGB), got %d",
                       (int)channels);
    }
    if (layout != DU_CODECS_LAYOUT_CHW && layout != DU_CODECS_LAYOUT_HWC)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "layout must be 0 (CHW) or 1 (HWC), got %d", (int)layout);
    }
    if (max_pixels < 1)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "max_pixels must be at least 1, got %lld",
                       (long long)max_pixels);
    }
    if (out == NULL || out_capacity < 0)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "the output buffer is NULL or has a negative capacity");
    }
    du_image_info local;
    du_image_info* target = info != NULL ? info : &local;
    if (is_png(data, size))
    {
        return du_png_decode(data, size, channels, layout, max_pixels, out, out_capacity, target, &status);
    }
    if (is_jpeg(data, size))
    {
        return du_jpeg_decode(data, size, channels, layout, max_pixels, out, out_capacity, target, &status);
    }
    return not_an_image(data, size, &status);
}

DU_CODECS_EXPORT int32_t du_codecs_encode(const uint8_t* pixels, int32_t channels, int32_t height, int32_t width,
                                          int32_t layout, int32_t format, int32_t quality, uint8_t** out,
                                          int64_t* out_size, char* message, int32_t message_capacity)
{
    du_status status = {message, message_capacity};
    if (out == NULL || out_size == NULL)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "out or out_size is NULL");
    }
    *out = NULL;
    *out_size = 0;
    if (pixels == NULL)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "pixels is NULL");
    }
    if (channels != 1 && channels != 3)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "an image to encode has 1 or 3 channels, got %d",
                       (int)channels);
    }
    if (height < 1 || width < 1 || height > 65535 || width > 65535)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "image height and width must be in 1..65535, got %dx%d",
                       (int)height, (int)width);
    }
    if (layout != DU_CODECS_LAYOUT_CHW && layout != DU_CODECS_LAYOUT_HWC)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "layout must be 0 (CHW) or 1 (HWC), got %d", (int)layout);
    }
    if (format == DU_CODECS_FORMAT_PNG && quality != 0)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "PNG is lossless: quality must be 0, got %d", (int)quality);
    }
    if (format == DU_CODECS_FORMAT_JPEG && (quality < 1 || quality > 100))
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "JPEG quality must be in 1..100, got %d", (int)quality);
    }
    if (format != DU_CODECS_FORMAT_PNG && format != DU_CODECS_FORMAT_JPEG)
    {
        return du_fail(&status, DU_CODECS_ERR_ARGUMENT, "format must be 1 (JPEG) or 2 (PNG), got %d", (int)format);
    }
    const uint8_t* hwc = pixels;
    uint8_t* scratch = NULL;
    if (layout == DU_CODECS_LAYOUT_CHW && channels == 3)
    {
        const int64_t plane = (int64_t)height * width;
        scratch = malloc((size_t)(plane * 3));
        if (scratch == NULL)
        {
            return du_fail(&status, DU_CODECS_ERR_NO_MEMORY, "out of memory for a %dx%d image", (int)height,
                           (int)width);
        }
        for (int64_t i = 0; i < plane; ++i)
        {
            scratch[3 * i] = pixels[i];
            scratch[3 * i + 1] = pixels[plane + i];
            scratch[3 * i + 2] = pixels[2 * plane + i];
        }
        hwc = scratch;
    }
    const int32_t rc = format == DU_CODECS_FORMAT_PNG
                           ? du_png_encode(hwc, channels, height, width, out, out_size, &status)
                           : du_jpeg_encode(hwc, channels, height, width, quality, out, out_size, &status);
    free(scratch);
    return rc;
}

DU_CODECS_EXPORT void du_codecs_free(uint8_t* buffer)
{
    free(buffer);
}

#define DU_STRINGIFY_(x) #x
#define DU_STRINGIFY(x) DU_STRINGIFY_(x)

DU_CODECS_EXPORT int32_t du_codecs_versions(char* buffer, int32_t capacity)
{
#if defined(LIBJPEG_TURBO_VERSION)
    const char* jpeg = DU_STRINGIFY(LIBJPEG_TURBO_VERSION);
#else
    const char* jpeg = "(unknown version)";
#endif
    if (buffer != NULL && capacity > 0)
    {
        snprintf(buffer, (size_t)capacity, "libjpeg-turbo %s (TurboJPEG), libpng %s", jpeg, png_get_libpng_ver(NULL));
    }
    return DU_CODECS_OK;
}
