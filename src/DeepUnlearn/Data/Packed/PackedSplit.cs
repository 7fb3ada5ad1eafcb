using System;

namespace DeepUnlearn.Data.Packed;

/// <summary>One split packed (or found already packed) by <see cref="PackedStore.PackFolder"/>.</summary>
/// <param name="Split">"train", "val" or "test".</param>
/// <param name="Path">The store file.</param>
/// <param name="Images">Images in it.</param>
/// <param name="PixelBytes">Bytes of pixels.</param>
/// <param name="AlreadyPacked">True when an identical store was there already and was kept.</param>
/// <param name="Elapsed">Time spent packing (zero when kept).</param>
public sealed record PackedSplit(string Split, string Path, int Images, long PixelBytes, bool AlreadyPacked, TimeSpan Elapsed);
