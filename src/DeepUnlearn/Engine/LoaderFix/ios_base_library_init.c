/*
 * std::ios_base_library_init(), the one GCC 13 symbol (GLIBCXX_3.4.32) that TorchSharp 0.107's
 * libLibTorchSharp.so asks of libstdc++. GCC 13 emits a call to it from every translation unit that includes
 * <iostream>, to make sure the standard streams are constructed first. GCC 12's libstdc++ (Debian 12) does
 * not export it, but constructs the standard streams itself when it is loaded (ios_init.cc), and
 * libtorch_cpu.so, which libLibTorchSharp.so needs and which is loaded before it, is linked against it, so
 * there is nothing left to do here: a no-op is a faithful definition.
 *
 * Built and linked into a patched copy of libLibTorchSharp.so by LibTorchSharpLoaderFix.targets, only where
 * the system's libstdc++ lacks GLIBCXX_3.4.32. The symbol is the C++ mangled name of
 * `void std::ios_base_library_init()`; defined in C so no C++ runtime is involved.
 */
void _ZSt21ios_base_library_initv(void)
{
}
