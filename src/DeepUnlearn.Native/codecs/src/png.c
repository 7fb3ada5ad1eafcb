/* PNG through libpng 1.6. libpng reports errors by longjmp: every function that calls setjmp keeps its
 * state in a png_reader (never in locals changed after setjmp) and holds no resource the jump could
 * leak; the error text is copied into the reader. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "codecs_internal.h"

/* libpng's own cap on one ancillary chunk (iCCP, zTXt... decompressed), set explicitly so a build of
 * libpng without the default still refuses chunk bombs. */
#define DU_PNG_CHUNK_MALLOC_MAX 8000000

typedef struct png_reader
{
    png_structp png;
    png_infop info;
    const uint8_t* data;
    size_t size;
    size_t position;
    int truncated;
    char message[256];
    /* Header and the transforms chosen from it. */
    png_uint_32 width;
    png_uint_32 height;
    int color_type;
    int bit_depth;
    int interlaced;
    int32_t file_channels; /* 1 or 3: what the transforms below produce */
    size_t row_bytes;
} png_reader;

static void on_error(png_structp png, png_const_charp message)
{
    png_reader* reader = (png_reader*)png_get_error_ptr(png);
    snprintf(reader->message, sizeof(reader->message), "%s", message != NULL ? message : "libpng error");
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message)
{
    /* Benign (unknown chunks, sRGB profile notes, bad ancillary CRCs); errors go through on_error. */
    (void)png;
    (void)message;
}

static void on_read(png_structp png, png_bytep out, png_size_t count)
{
    png_reader* reader = (png_reader*)png_get_io_ptr(png);
    if (reader->size - reader->position < count)
    {
        reader->truncated = 1;
        png_error(png, "unexpected end of data");
    }
    memcpy(out, reader->data + reader->position, count);
    reader->position += count;
}

static int32_t open_reader(png_reader* reader, const uint8_t* data, int64_t size, du_status* status)
{
    memset(reader, 0, sizeof(*reader));
    reader->data = data;
    reader->size = (size_t)size;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, on_error, on_warning);
    if (reader->png == NULL)
    {
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "libpng could not create a reader");
    }
    reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL)
    {
        png_destroy_read_struct(&reader->png, NULL, NULL);
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "libpng could not create a reader");
    }
    png_set_chunk_malloc_max(reader->png, DU_PNG_CHUNK_MALLOC_MAX);
    png_set_read_fn(reader->png, reader, on_read);
    return DU_CODECS_OK;
}

static void close_reader(png_reader* reader)
{
    if (reader->png != NULL)
    {
        png_destroy_read_struct(&reader->png, reader->info != NULL ? &reader->info : NULL, NULL);
    }
}

static int32_t reader_failure(png_reader* reader, const char* what, du_status* status)
{
    return du_fail(status, DU_CODECS_ERR_CORRUPT, "%s PNG %s: libpng: %s", reader->truncated ? "truncated" : "corrupt",
                   what, reader->message);
}

/* Reads every chunk up to the first IDAT. Nothing proportional to the image is allocated yet. */
static int read_header(png_reader* r)
{
    if (setjmp(png_jmpbuf(r->png)))
    {
        return 0;
    }
    png_read_info(r->png, r->info);
    r->width = png_get_image_width(r->png, r->info);
    r->height = png_get_image_height(r->png, r->info);
    r->color_type = png_get_color_type(r->png, r->info);
    r->bit_depth = png_get_bit_depth(r->png, r->info);
    r->interlaced = png_get_interlace_type(r->png, r->info) != PNG_INTERLACE_NONE;
    return 1;
}

/* Sets up the transforms to 8-bit gray or RGB without alpha and lets libpng size its rows. */
static int set_transforms(png_reader* r, int32_t requested)
{
    if (setjmp(png_jmpbuf(r->png)))
    {
        return 0;
    }
    if (r->color_type == PNG_COLOR_TYPE_PALETTE)
    {
        png_set_palette_to_rgb(r->png);
    }
    if (r->color_type == PNG_COLOR_TYPE_GRAY && r->bit_depth < 8)
    {
        png_set_expand_gray_1_2_4_to_8(r->png);
    }
    if (r->bit_depth == 16)
    {
        png_set_strip_16(r->png); /* the high byte, as Pillow's "RGB;16B" raw modes */
    }
    /* Drops a real alpha channel and the one a tRNS chunk adds when a palette is expanded. */
    png_set_strip_alpha(r->png);
    const int gray = (r->color_type & PNG_COLOR_MASK_COLOR) == 0;
    if (gray && requested == DU_CODECS_CHANNELS_RGB)
    {
        png_set_gray_to_rgb(r->png);
    }
    png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    r->file_channels = png_get_channels(r->png, r->info);
    r->row_bytes = png_get_rowbytes(r->png, r->info);
    return 1;
}

static int read_pixels(png_reader* r, png_bytep* rows)
{
    if (setjmp(png_jmpbuf(r->png)))
    {
        return 0;
    }
    png_read_image(r->png, rows);
    png_read_end(r->png, NULL);
    return 1;
}

static void fill_info(const png_reader* r, du_image_info* info)
{
    info->format = DU_CODECS_FORMAT_PNG;
    info->width = (int32_t)r->width;
    info->height = (int32_t)r->height;
    info->channels = (r->color_type & PNG_COLOR_MASK_COLOR) != 0 ? 3 : 1;
}

int32_t du_png_info(const uint8_t* data, int64_t size, du_image_info* info, du_status* status)
{
    png_reader reader;
    int32_t rc = open_reader(&reader, data, size, status);
    if (rc != DU_CODECS_OK)
    {
        return rc;
    }
    if (read_header(&reader))
    {
        fill_info(&reader, info);
    }
    else
    {
        rc = reader_failure(&reader, "header", status);
    }
    close_reader(&reader);
    return rc;
}

int32_t du_png_decode(const uint8_t* data, int64_t size, int32_t channels, int32_t layout, int64_t max_pixels,
                      uint8_t* out, int64_t out_capacity, du_image_info* info, du_status* status)
{
    png_reader reader;
    int32_t rc = open_reader(&reader, data, size, status);
    if (rc != DU_CODECS_OK)
    {
        return rc;
    }
    if (!read_header(&reader))
    {
        rc = reader_failure(&reader, "header", status);
        close_reader(&reader);
        return rc;
    }
    fill_info(&reader, info);
    /* The decompression-bomb check comes before libpng sizes its row buffers and before ours. */
    rc = du_check_decode(info, channels, max_pixels, out_capacity, status);
    if (rc == DU_CODECS_OK && !set_transforms(&reader, channels))
    {
        rc = reader_failure(&reader, "header", status);
    }
    if (rc == DU_CODECS_OK && reader.file_channels != 1 && reader.file_channels != 3)
    {
        rc = du_fail(status, DU_CODECS_ERR_CORRUPT, "the PNG decodes to %d channels after conversion; expected 1 or 3",
                     (int)reader.file_channels);
    }
    if (rc != DU_CODECS_OK)
    {
        close_reader(&reader);
        return rc;
    }
    const int64_t pixels = (int64_t)reader.width * reader.height;
    const int32_t dst_channels = info->channels;
    const int direct = reader.file_channels == dst_channels && (dst_channels == 1 || layout == DU_CODECS_LAYOUT_HWC);
    uint8_t* scratch = NULL;
    png_bytep* rows = malloc(sizeof(png_bytep) * reader.height);
    if (!direct && rows != NULL)
    {
        scratch = malloc((size_t)(pixels * reader.file_channels));
    }
    if (rows == NULL || (!direct && scratch == NULL))
    {
        free(rows);
        close_reader(&reader);
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "out of memory decoding a %dx%d PNG", (int)reader.width,
                       (int)reader.height);
    }
    uint8_t* target = direct ? out : scratch;
    for (png_uint_32 y = 0; y < reader.height; ++y)
    {
        rows[y] = target + (size_t)y * reader.row_bytes;
    }
    if (!read_pixels(&reader, rows))
    {
        rc = reader_failure(&reader, "data", status);
    }
    else if (!direct)
    {
        du_emit(scratch, reader.file_channels, pixels, dst_channels, layout, out);
    }
    free(rows);
    free(scratch);
    close_reader(&reader);
    return rc;
}

int32_t du_png_encode(const uint8_t* hwc, int32_t channels, int32_t height, int32_t width, uint8_t** out,
                      int64_t* out_size, du_status* status)
{
    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)width;
    image.height = (png_uint_32)height;
    image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, NULL, &size, 0, hwc, 0, NULL))
    {
        const int32_t rc = du_fail(status, DU_CODECS_ERR_ARGUMENT, "libpng could not encode the image: %s", image.message);
        png_image_free(&image);
        return rc;
    }
    uint8_t* buffer = malloc(size);
    if (buffer == NULL)
    {
        png_image_free(&image);
        return du_fail(status, DU_CODECS_ERR_NO_MEMORY, "out of memory encoding a %dx%d PNG", (int)height, (int)width);
    }
    if (!png_image_write_to_memory(&image, buffer, &size, 0, hwc, 0, NULL))
    {
        const int32_t rc = du_fail(status, DU_CODECS_ERR_ARGUMENT, "libpng could not encode the image: %s", image.message);
        png_image_free(&image);
        free(buffer);
        return rc;
    }
    png_image_free(&image);
    *out = buffer;
    *out_size = (int64_t)size;
    return DU_CODECS_OK;
}
