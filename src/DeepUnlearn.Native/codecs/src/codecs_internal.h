/* Shared helpers of du_codecs: status messages, pixel-layout conversion, Pillow's colour formulas. */
#ifndef DU_CODECS_INTERNAL_H
#define DU_CODECS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "du_codecs.h"

/* Where an export writes its failure message (the caller's buffer, possibly NULL). */
typedef struct du_status
{
    char* message;
    int32_t capacity;
} du_status;

/* Formats the message into the caller's buffer and returns `code`. */
int32_t du_fail(du_status* status, int32_t code, const char* format, ...) __attribute__((format(printf, 3, 4)));

/* Copies `pixels` interleaved source pixels of `src_channels` (1 or 3) into `out` as `dst_channels`
 * (1 or 3) in `layout`: same count copies or transposes, 3 -> 1 applies Pillow's luma, 1 -> 3
 * replicates. `out` must not overlap `src`. */
void du_emit(const uint8_t* src, int32_t src_channels, int64_t pixels, int32_t dst_channels, int32_t layout,
             uint8_t* out);

/* Interleaved RGB -> one gray sample per pixel, ITU-R 601-2 luma in Pillow's fixed point (L24 >> 16). */
static inline uint8_t du_luma(uint32_t r, uint32_t g, uint32_t b)
{
    return (uint8_t)((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
}

/* The JPEG and PNG halves. Both have checked `max_pixels` against the header before calling. */
int32_t du_jpeg_info(const uint8_t* data, int64_t size, du_image_info* info, du_status* status);
int32_t du_jpeg_decode(const uint8_t* data, int64_t size, int32_t channels, int32_t layout, int64_t max_pixels,
                       uint8_t* out, int64_t out_capacity, du_image_info* info, du_status* status);
int32_t du_jpeg_encode(const uint8_t* hwc, int32_t channels, int32_t height, int32_t width, int32_t quality,
                       uint8_t** out, int64_t* out_size, du_status* status);

int32_t du_png_info(const uint8_t* data, int64_t size, du_image_info* info, du_status* status);
int32_t du_png_decode(const uint8_t* data, int64_t size, int32_t channels, int32_t layout, int64_t max_pixels,
                      uint8_t* out, int64_t out_capacity, du_image_info* info, du_status* status);
int32_t du_png_encode(const uint8_t* hwc, int32_t channels, int32_t height, int32_t width, uint8_t** out,
                      int64_t* out_size, du_status* status);

/* Shared checks of a decode call once the header is known: the pixel cap, then the output size.
 * Sets info->channels to the count that will be written. */
int32_t du_check_decode(du_image_info* info, int32_t channels, int64_t max_pixels, int64_t out_capacity,
                        du_status* status);

#endif /* DU_CODECS_INTERNAL_H */
