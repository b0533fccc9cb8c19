#ifndef PROMPTVTG_CGZIP_SHIM_H
#define PROMPTVTG_CGZIP_SHIM_H

// The system zlib (zlib1g-dev): gzip decompression of the original CLIP vocabulary file. Named
// CGzip, not CZlib: ZIPFoundation, a dependency, has a module of that name.
#include <zlib.h>

// inflateInit2 is a macro (it passes the header's version and the stream's size), which Swift
// cannot import. 16 + MAX_WBITS: expect a gzip header and trailer, the largest window.
static inline int cgzip_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

#endif
