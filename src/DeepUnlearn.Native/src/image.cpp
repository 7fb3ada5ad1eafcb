// Image decoding and encoding: JPEG through libjpeg-turbo's TurboJPEG API, PNG through libpng.
// Images cross the ABI as uint8 tensors [C, H, W] (C = 1 gray or 3 RGB) on the CPU. Alpha channels
// are dropped (as PIL's convert("RGB") does), palettes expanded and 16-bit samples cut to 8 bits.
#include "common.h"

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include <png.h>
#include <turbojpeg.h>

namespace
{
constexpr uint8_t k_png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

// The channel count an image is decoded to: the request, or what the file holds when the request is 0.
int32_t checked_channels(int32_t channels)
{
    if (channels != DU_IMAGE_KEEP && channels != DU_IMAGE_GRAY && channels != DU_IMAGE_RGB)
    {
        throw du::ArgumentError("image channels must be 0 (keep), 1 (gray) or 3 (RGB), got " +
                                std::to_string(channels));
    }
    return channels;
}

// Interleaved HWC pixels -> a new uint8 tensor [C, H, W].
at::Tensor to_chw(const uint8_t* hwc, int64_t height, int64_t width, int64_t channels)
{
    auto out = at::empty({channels, height, width}, at::TensorOptions().dtype(at::kByte));
    uint8_t* dst = out.data_ptr<uint8_t>();
    const int64_t plane = height * width;
    if (channels == 1)
    {
        std::memcpy(dst, hwc, static_cast<size_t>(plane));
        return out;
    }
    for (int64_t i = 0; i < plane; ++i)
    {
        for (int64_t c = 0; c < channels; ++c)
        {
            dst[c * plane + i] = hwc[i * channels + c];
        }
    }
    return out;
}

// RGB (HWC) -> luma in place of a gray buffer, with PIL's ITU-R 601-2 weights (L = R*299/1000 + ...).
void rgb_to_gray(const uint8_t* rgb, uint8_t* gray, int64_t pixels)
{
    for (int64_t i = 0; i < pixels; ++i)
    {
        const uint32_t r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
        gray[i] = static_cast<uint8_t>((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
    }
}

// ------------------------------------------------------------------------------------------------
// JPEG

struct TjHandle
{
    tjhandle h;
    explicit TjHandle(tjhandle handle) : h(handle) {}
    ~TjHandle()
    {
        if (h != nullptr)
        {
            tjDestroy(h);
        }
    }
    TjHandle(const TjHandle&) = delete;
    TjHandle& operator=(const TjHandle&) = delete;
};

struct TjBuffer
{
    unsigned char* p = nullptr;
    ~TjBuffer()
    {
        if (p != nullptr)
        {
            tjFree(p);
        }
    }
};

std::string tj_message(tjhandle h)
{
    const char* text = tjGetErrorStr2(h);
    return text != nullptr ? text : "unknown libjpeg-turbo error";
}

// Whether the JPEG carries an Adobe APP14 marker before its first scan (then CMYK is stored inverted).
bool has_adobe_marker(const uint8_t* data, int64_t nbytes)
{
    int64_t i = 2;
    while (i + 4 <= nbytes && data[i] == 0xff)
    {
        const uint8_t marker = data[i + 1];
        if (marker == 0xda || marker == 0xd9)
        {
            break;
        }
        const int64_t length = (static_cast<int64_t>(data[i + 2]) << 8) | data[i + 3];
        if (marker == 0xee && length >= 7 && i + 4 + 5 <= nbytes && std::memcmp(data + i + 4, "Adobe", 5) == 0)
        {
            return true;
        }
        i += 2 + length;
    }
    return false;
}

at::Tensor decode_jpeg(const uint8_t* data, int64_t nbytes, int32_t channels)
{
    TjHandle tj(tjInitDecompress());
    if (tj.h == nullptr)
    {
        throw std::runtime_error("libjpeg-turbo could not create a decompressor: " + tj_message(nullptr));
    }
    int width = 0, height = 0, subsamp = 0, colorspace = 0;
    if (tjDecompressHeader3(tj.h, data, static_cast<unsigned long>(nbytes), &width, &height, &subsamp,
                            &colorspace) != 0)
    {
        throw du::IoError("undecodable JPEG header: " + tj_message(tj.h));
    }
    if (width <= 0 || height <= 0)
    {
        throw du::IoError("JPEG header gives an empty image (" + std::to_string(width) + "x" +
                          std::to_string(height) + ")");
    }
    const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
    const int32_t out_channels = channels != DU_IMAGE_KEEP ? channels : (colorspace == TJCS_GRAY ? 1 : 3);
    const int pixel_format = cmyk ? TJPF_CMYK : (out_channels == 1 ? TJPF_GRAY : TJPF_RGB);
    const int pixel_size = tjPixelSize[pixel_format];
    const int64_t pixels = static_cast<int64_t>(width) * height;
    std::vector<uint8_t> buffer(static_cast<size_t>(pixels * pixel_size));
    if (tjDecompress2(tj.h, data, static_cast<unsigned long>(nbytes), buffer.data(), width, 0, height, pixel_format,
                      0) != 0)
    {
        const std::string message = tj_message(tj.h);
        // Warnings (a status of -1 with TJERR_WARNING) still produce an image; the only one we refuse is
        // libjpeg's JWRN_JPEG_EOF, which means the data stopped early and the rest is filled with grey.
        if (tjGetErrorCode(tj.h) != TJERR_WARNING || message.find("Premature end") != std::string::npos)
        {
            throw du::IoError("truncated or corrupt JPEG data: " + message);
        }
    }
    if (cmyk)
    {
        // As Pillow: Adobe (Photoshop) CMYK JPEGs store inverted inks; then R = (1 - C)(1 - K) in
        // Pillow's fixed point (cmyk2rgb: nk - MULDIV255(c, nk), nk = 255 - k).
        const bool inverted = has_adobe_marker(data, nbytes);
        std::vector<uint8_t> rgb(static_cast<size_t>(pixels * 3));
        for (int64_t i = 0; i < pixels; ++i)
        {
            const uint8_t* p = &buffer[static_cast<size_t>(4 * i)];
            const int nk = inverted ? p[3] : 255 - p[3];
            for (int c = 0; c < 3; ++c)
            {
                const int ink = inverted ? 255 - p[c] : p[c];
                const int product = ink * nk + 128;
                const int value = nk - (((product >> 8) + product) >> 8);
                rgb[3 * i + c] = static_cast<uint8_t>(value < 0 ? 0 : (value > 255 ? 255 : value));
            }
        }
        if (out_channels == 1)
        {
            std::vector<uint8_t> gray(static_cast<size_t>(pixels));
            rgb_to_gray(rgb.data(), gray.data(), pixels);
            return to_chw(gray.data(), height, width, 1);
        }
        return to_chw(rgb.data(), height, width, 3);
    }
    return to_chw(buffer.data(), height, width, out_channels);
}

std::vector<uint8_t> encode_jpeg(const uint8_t* hwc, int width, int height, int channels, int quality)
{
    TjHandle tj(tjInitCompress());
    if (tj.h == nullptr)
    {
        throw std::runtime_error("libjpeg-turbo could not create a compressor: " + tj_message(nullptr));
    }
    TjBuffer out;
    unsigned long size = 0;
    const int format = channels == 1 ? TJPF_GRAY : TJPF_RGB;
    const int subsamp = channels == 1 ? TJSAMP_GRAY : TJSAMP_444;
    if (tjCompress2(tj.h, hwc, width, 0, height, format, &out.p, &size, subsamp, quality, TJFLAG_ACCURATEDCT) != 0)
    {
        throw std::runtime_error("libjpeg-turbo could not encode the image: " + tj_message(tj.h));
    }
    return std::vector<uint8_t>(out.p, out.p + size);
}

// ------------------------------------------------------------------------------------------------
// PNG. libpng reports errors by longjmp; the functions that call setjmp hold only trivially
// destructible locals, so the jump skips no destructor. The error text is copied into the reader.

struct PngReader
{
    png_structp png = nullptr;
    png_infop info = nullptr;
    const uint8_t* data = nullptr;
    size_t size = 0;
    size_t position = 0;
    char message[256] = {0};

    ~PngReader()
    {
        if (png != nullptr)
        {
            png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
        }
    }
};

void png_on_error(png_structp png, png_const_charp message)
{
    auto* reader = static_cast<PngReader*>(png_get_error_ptr(png));
    std::snprintf(reader->message, sizeof(reader->message), "%s", message != nullptr ? message : "libpng error");
    png_longjmp(png, 1);
}

void png_on_warning(png_structp, png_const_charp)
{
    // Benign (unknown chunks, sRGB profile notes); errors go through png_on_error.
}

void png_on_read(png_structp png, png_bytep out, png_size_t count)
{
    auto* reader = static_cast<PngReader*>(png_get_io_ptr(png));
    if (reader->size - reader->position < count)
    {
        png_error(png, "unexpected end of data (the file is truncated)");
    }
    std::memcpy(out, reader->data + reader->position, count);
    reader->position += count;
}

struct PngHeader
{
    png_uint_32 width;
    png_uint_32 height;
    int file_channels; // 1 (gray) or 3 (colour) after our transforms, before any gray conversion
    size_t row_bytes;
};

// Reads the header and sets up the transforms to 8-bit gray or RGB without alpha. False on error.
bool png_read_header(PngReader* r, PngHeader* header, int32_t requested)
{
    if (setjmp(png_jmpbuf(r->png)))
    {
        return false;
    }
    png_set_read_fn(r->png, r, png_on_read);
    png_read_info(r->png, r->info);
    const int color_type = png_get_color_type(r->png, r->info);
    const int bit_depth = png_get_bit_depth(r->png, r->info);
    if (color_type == PNG_COLOR_TYPE_PALETTE)
    {
        png_set_palette_to_rgb(r->png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8)
    {
        png_set_expand_gray_1_2_4_to_8(r->png);
    }
    if (bit_depth == 16)
    {
        png_set_strip_16(r->png);
    }
    // Drops a real alpha channel and the one a tRNS chunk adds when a palette is expanded.
    png_set_strip_alpha(r->png);
    const bool gray = (color_type & PNG_COLOR_MASK_COLOR) == 0;
    if (gray && requested == DU_IMAGE_RGB)
    {
        png_set_gray_to_rgb(r->png);
    }
    png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    header->width = png_get_image_width(r->png, r->info);
    header->height = png_get_image_height(r->png, r->info);
    header->file_channels = png_get_channels(r->png, r->info);
    header->row_bytes = png_get_rowbytes(r->png, r->info);
    return true;
}

bool png_read_pixels(PngReader* r, png_bytep* rows)
{
    if (setjmp(png_jmpbuf(r->png)))
    {
        return false;
    }
    png_read_image(r->png, rows);
    png_read_end(r->png, nullptr);
    return true;
}

at::Tensor decode_png(const uint8_t* data, int64_t nbytes, int32_t channels)
{
    PngReader reader;
    reader.data = data;
    reader.size = static_cast<size_t>(nbytes);
    reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, png_on_error, png_on_warning);
    if (reader.png == nullptr)
    {
        throw std::bad_alloc();
    }
    reader.info = png_create_info_struct(reader.png);
    if (reader.info == nullptr)
    {
        throw std::bad_alloc();
    }
    PngHeader header{};
    if (!png_read_header(&reader, &header, channels))
    {
        throw du::IoError(std::string("undecodable PNG header: ") + reader.message);
    }
    if (header.file_channels != 1 && header.file_channels != 3)
    {
        throw du::IoError("PNG decodes to " + std::to_string(header.file_channels) +
                          " channels after conversion; expected 1 or 3");
    }
    const int64_t height = header.height, width = header.width;
    std::vector<uint8_t> pixels(header.row_bytes * header.height);
    std::vector<png_bytep> rows(header.height);
    for (png_uint_32 y = 0; y < header.height; ++y)
    {
        rows[y] = pixels.data() + y * header.row_bytes;
    }
    if (!png_read_pixels(&reader, rows.data()))
    {
        throw du::IoError(std::string("truncated or corrupt PNG data: ") + reader.message);
    }
    if (header.file_channels == 3 && channels == DU_IMAGE_GRAY)
    {
        std::vector<uint8_t> gray(static_cast<size_t>(height * width));
        rgb_to_gray(pixels.data(), gray.data(), height * width);
        return to_chw(gray.data(), height, width, 1);
    }
    return to_chw(pixels.data(), height, width, header.file_channels);
}

struct PngMemory
{
    png_image image;
    PngMemory()
    {
        std::memset(&image, 0, sizeof(image));
        image.version = PNG_IMAGE_VERSION;
    }
    ~PngMemory() { png_image_free(&image); }
};

std::vector<uint8_t> encode_png(const uint8_t* hwc, int width, int height, int channels)
{
    PngMemory png;
    png.image.width = static_cast<png_uint_32>(width);
    png.image.height = static_cast<png_uint_32>(height);
    png.image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&png.image, nullptr, &size, 0, hwc, 0, nullptr))
    {
        throw std::runtime_error(std::string("libpng could not encode the image: ") + png.image.message);
    }
    std::vector<uint8_t> out(size);
    if (!png_image_write_to_memory(&png.image, out.data(), &size, 0, hwc, 0, nullptr))
    {
        throw std::runtime_error(std::string("libpng could not encode the image: ") + png.image.message);
    }
    out.resize(size);
    return out;
}

// ------------------------------------------------------------------------------------------------

std::string describe_start(const uint8_t* data, int64_t nbytes)
{
    std::string text;
    char hex[4];
    for (int64_t i = 0; i < nbytes && i < 8; ++i)
    {
        std::snprintf(hex, sizeof(hex), "%02x ", data[i]);
        text += hex;
    }
    if (!text.empty())
    {
        text.pop_back();
    }
    return text;
}

at::Tensor decode(const uint8_t* data, int64_t nbytes, int32_t channels)
{
    if (nbytes < 0 || (nbytes > 0 && data == nullptr))
    {
        throw du::ArgumentError("image data is NULL or has a negative length");
    }
    if (nbytes == 0)
    {
        throw du::IoError("empty image data (0 bytes)");
    }
    if (nbytes >= 8 && std::memcmp(data, k_png_magic, 8) == 0)
    {
        return decode_png(data, nbytes, channels);
    }
    if (nbytes >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    {
        return decode_jpeg(data, nbytes, channels);
    }
    throw du::IoError("not a JPEG or PNG image (" + std::to_string(nbytes) + " bytes starting " +
                      describe_start(data, nbytes) + ")");
}

// A borrowed uint8 [C, H, W] tensor (C = 1 or 3) as contiguous HWC bytes on the CPU.
std::vector<uint8_t> to_hwc(const at::Tensor& image, int* width, int* height, int* channels)
{
    if (image.scalar_type() != at::kByte || image.dim() != 3 || (image.size(0) != 1 && image.size(0) != 3))
    {
        throw du::ArgumentError("an image to encode must be a uint8 tensor [C, H, W] with C = 1 or 3, got " +
                                std::string(c10::toString(image.scalar_type())) + " " + c10::str(image.sizes()));
    }
    if (image.size(1) <= 0 || image.size(2) <= 0 || image.size(1) > 65535 || image.size(2) > 65535)
    {
        throw du::ArgumentError("image height and width must be in 1..65535, got " + c10::str(image.sizes()));
    }
    auto hwc = image.to(at::kCPU).permute({1, 2, 0}).contiguous();
    *channels = static_cast<int>(image.size(0));
    *height = static_cast<int>(image.size(1));
    *width = static_cast<int>(image.size(2));
    const uint8_t* p = hwc.data_ptr<uint8_t>();
    return std::vector<uint8_t>(p, p + hwc.numel());
}

at::Tensor bytes_tensor(const std::vector<uint8_t>& bytes)
{
    auto out = at::empty({static_cast<int64_t>(bytes.size())}, at::TensorOptions().dtype(at::kByte));
    std::memcpy(out.data_ptr<uint8_t>(), bytes.data(), bytes.size());
    return out;
}
} // namespace

extern "C" {

int32_t du_image_decode(const uint8_t* data, int64_t nbytes, int32_t channels, du_tensor** out)
{
    return du::guard([&] {
        du::check_out(out, "out");
        du::put(out, decode(data, nbytes, checked_channels(channels)));
    });
}

int32_t du_image_read_file(const char* path, int32_t channels, du_tensor** out)
{
    return du::guard([&] {
        du::check_out(out, "out");
        if (path == nullptr)
        {
            throw du::ArgumentError("image path is NULL");
        }
        const int32_t requested = checked_channels(channels);
        std::ifstream file(path, std::ios::binary | std::ios::ate);
        if (!file)
        {
            throw du::IoError(std::string(path) + ": cannot open the file (" + std::strerror(errno) + ")");
        }
        const std::streamoff size = file.tellg();
        std::vector<uint8_t> bytes(static_cast<size_t>(size > 0 ? size : 0));
        file.seekg(0);
        if (size > 0 && !file.read(reinterpret_cast<char*>(bytes.data()), size))
        {
            throw du::IoError(std::string(path) + ": cannot read the file");
        }
        try
        {
            du::put(out, decode(bytes.data(), static_cast<int64_t>(bytes.size()), requested));
        }
        catch (const du::IoError& e)
        {
            throw du::IoError(std::string(path) + ": " + e.what());
        }
    });
}

int32_t du_image_encode_png(const du_tensor* image, du_tensor** out)
{
    return du::guard([&] {
        du::check_out(out, "out");
        int width = 0, height = 0, channels = 0;
        auto hwc = to_hwc(du::tensor(image, "image"), &width, &height, &channels);
        du::put(out, bytes_tensor(encode_png(hwc.data(), width, height, channels)));
    });
}

int32_t du_image_encode_jpeg(const du_tensor* image, int32_t quality, du_tensor** out)
{
    return du::guard([&] {
        du::check_out(out, "out");
        if (quality < 1 || quality > 100)
        {
            throw du::ArgumentError("JPEG quality must be in 1..100, got " + std::to_string(quality));
        }
        int width = 0, height = 0, channels = 0;
        auto hwc = to_hwc(du::tensor(image, "image"), &width, &height, &channels);
        du::put(out, bytes_tensor(encode_jpeg(hwc.data(), width, height, channels, quality)));
    });
}

} // extern "C"
