/* du_codecs: JPEG and PNG decoding and encoding for DeepUnlearn, over libjpeg-turbo (TurboJPEG API)
 * and libpng. No libtorch, no C++ runtime.
 *
 * ABI rules (those of dotnet/runtime's System.*.Native shims):
 *  - fixed-width types only; every export returns an int32_t status (DU_CODECS_OK or DU_CODECS_ERR_*);
 *  - on failure the export writes a NUL-terminated UTF-8 message into the caller's `message` buffer
 *    (`message_capacity` bytes, truncated to fit; may be NULL/0 when the caller does not want it);
 *  - input buffers are borrowed for the duration of the call only;
 *  - decoded pixels go into a caller-provided buffer; the one export that allocates
 *    (du_codecs_encode) says so, and its memory is released with du_codecs_free;
 *  - nothing is thrown or longjmp'd across the boundary, no global state is written, and every
 *    export is thread-safe.
 *
 * Pixels are 8-bit. Decoding converts as Pillow's Image.convert does for torchvision's ImageFolder:
 * alpha channels (and tRNS transparency) are dropped, palettes expanded, 16-bit samples cut to their
 * high byte (Pillow does this for 16-bit colour; it clips 16-bit *gray* to 255 instead, see
 * du_codecs_decode), gray replicated to RGB, RGB reduced to gray with ITU-R 601-2 luma in Pillow's
 * fixed point, CMYK/YCCK JPEGs converted to RGB with Pillow's formula (inks inverted when an Adobe
 * APP14 marker says so). JPEGs are decoded with libjpeg's defaults as Pillow uses them (accurate
 * integer IDCT, fancy upsampling), so the pixels equal Pillow's on the same libjpeg-turbo.
 */
#ifndef DU_CODECS_H
#define DU_CODECS_H

#include <stdint.h>

#if defined(_WIN32)
#define DU_CODECS_EXPORT __declspec(dllexport)
#else
#define DU_CODECS_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
#define DU_CODECS_OK 0
#define DU_CODECS_ERR_ARGUMENT 1  /* a NULL pointer, an unknown option, a buffer too small, bad pixels to encode */
#define DU_CODECS_ERR_FORMAT 2    /* the bytes are neither a JPEG nor a PNG */
#define DU_CODECS_ERR_CORRUPT 3   /* truncated or corrupt image data, or a header libjpeg/libpng refuses */
#define DU_CODECS_ERR_TOO_LARGE 4 /* the header declares more pixels than the caller's limit */
#define DU_CODECS_ERR_NO_MEMORY 5 /* an allocation failed */

/* Image formats (du_image_info.format, du_codecs_encode's format). */
#define DU_CODECS_FORMAT_JPEG 1
#define DU_CODECS_FORMAT_PNG 2

/* Channel requests. */
#define DU_CODECS_CHANNELS_KEEP 0 /* 1 for gray (and gray+alpha) files, 3 for everything else */
#define DU_CODECS_CHANNELS_GRAY 1
#define DU_CODECS_CHANNELS_RGB 3

/* Pixel layouts: channel planes (C, H, W) or interleaved rows (H, W, C). */
#define DU_CODECS_LAYOUT_CHW 0
#define DU_CODECS_LAYOUT_HWC 1

/* What a header says. */
typedef struct du_image_info
{
    int32_t format;   /* DU_CODECS_FORMAT_* */
    int32_t width;    /* pixels, >= 1 */
    int32_t height;   /* pixels, >= 1 */
    int32_t channels; /* what DU_CODECS_CHANNELS_KEEP decodes to: 1 or 3 */
} du_image_info;

/* Reads only the header of the JPEG or PNG in `data` (`size` bytes, borrowed) into `*info`. Allocates
 * nothing proportional to the image. DU_CODECS_ERR_FORMAT when the magic bytes are neither JPEG's nor
 * PNG's (the message shows the first bytes), DU_CODECS_ERR_CORRUPT for an unreadable header. */
DU_CODECS_EXPORT int32_t du_codecs_read_info(const uint8_t* data, int64_t size, du_image_info* info, char* message,
                                             int32_t message_capacity);

/* Decodes the JPEG or PNG in `data` (`size` bytes, borrowed) into the caller's buffer `out`
 * (`out_capacity` bytes): channels × height × width bytes in `layout`, with `channels` chosen by the
 * request (DU_CODECS_CHANNELS_*). `*info` (may be NULL) receives the header, with `channels` set to
 * the count actually written.
 *
 * Decompression bombs: the header is read first, and when width × height exceeds `max_pixels`
 * (>= 1) the call fails with DU_CODECS_ERR_TOO_LARGE before anything proportional to the image is
 * allocated (the message gives both numbers). The decoder then allocates at most 4 bytes per pixel of
 * scratch (CMYK, layout changes, colour conversion), freed before it returns; libjpeg allocates up to
 * 2 bytes per sample more for a progressive JPEG. Progressive JPEGs with an unreasonable number of
 * scans are refused (TJFLAG_LIMITSCANS). DU_CODECS_ERR_ARGUMENT when `out_capacity` is too small (use
 * du_codecs_read_info first: the size is channels × width × height).
 *
 * Corrupt data: DU_CODECS_ERR_CORRUPT, the message says whether the data ended early ("truncated")
 * and what libjpeg/libpng reported. Benign JPEG warnings (extraneous bytes) are tolerated; a
 * premature end of JPEG data is not (libjpeg would fill the rest with grey). After a failure the
 * contents of `out` are unspecified (part of the image may have been written).
 *
 * 16-bit gray PNGs are cut to their high byte like every other 16-bit PNG; Pillow 9.4 clips them to
 * 0..255 instead (mode "I" converted to "L"/"RGB"), which turns nearly every such image white. */
DU_CODECS_EXPORT int32_t du_codecs_decode(const uint8_t* data, int64_t size, int32_t channels, int32_t layout,
                                          int64_t max_pixels, uint8_t* out, int64_t out_capacity, du_image_info* info,
                                          char* message, int32_t message_capacity);

/* Encodes `pixels` (borrowed; `channels` = 1 or 3 × `height` × `width` bytes in `layout`; width and
 * height in 1..65535) as a PNG (lossless; `quality` must be 0) or a baseline JPEG (DU_CODECS_FORMAT_JPEG,
 * `quality` 1..100, no chroma subsampling, accurate DCT). On success `*out` holds a new buffer of
 * `*out_size` bytes owned by the caller, to be released with du_codecs_free (never with free()).
 * DU_CODECS_ERR_ARGUMENT for bad sizes, format or quality. */
DU_CODECS_EXPORT int32_t du_codecs_encode(const uint8_t* pixels, int32_t channels, int32_t height, int32_t width,
                                          int32_t layout, int32_t format, int32_t quality, uint8_t** out,
                                          int64_t* out_size, char* message, int32_t message_capacity);

/* Releases a buffer returned by du_codecs_encode. NULL is a no-op. */
DU_CODECS_EXPORT void du_codecs_free(uint8_t* buffer);

/* Writes "libjpeg-turbo X (TurboJPEG), libpng Y" into `buffer` (truncated to `capacity`, NUL-terminated)
 * and returns DU_CODECS_OK. The libpng version is the one loaded at run time. */
DU_CODECS_EXPORT int32_t du_codecs_versions(char* buffer, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* DU_CODECS_H */
