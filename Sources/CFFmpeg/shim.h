#ifndef PROMPTVTG_CFFMPEG_SHIM_H
#define PROMPTVTG_CFFMPEG_SHIM_H

#include <stdarg.h>
#include <stdio.h>

// FFmpeg's decoding libraries from Debian's -dev packages (libavformat-dev, libavcodec-dev,
// libavutil-dev, libswscale-dev). pkg-config adds /usr/include/<triplet> to the search path.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libavutil/sha.h>
#include <libswscale/swscale.h>

// Macros Swift cannot import (they expand to expressions), as functions.
static inline int cffmpeg_error_again(void) { return AVERROR(EAGAIN); }
static inline int cffmpeg_error_end_of_file(void) { return AVERROR_EOF; }
static inline int64_t cffmpeg_no_timestamp(void) { return AV_NOPTS_VALUE; }
static inline int cffmpeg_packet_flag_corrupt(void) { return AV_PKT_FLAG_CORRUPT; }

// FFmpeg's message for an error code (av_err2str is a macro over a compound literal).
static inline void cffmpeg_error_string(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) {
        snprintf(buffer, size, "error %d", code);
    }
}

// A frame's duration in its stream's time base (0 when unknown). AVFrame.duration replaced
// pkt_duration in libavutil 57.30.
static inline int64_t cffmpeg_frame_duration(const AVFrame *frame) {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    return frame->duration;
#else
    return frame->pkt_duration;
#endif
}

// The stream's display matrix (nine int32 values, 16.16 fixed point), or NULL when the container
// has none. Stream side data moved to AVCodecParameters.coded_side_data in libavcodec 60.30.
static inline const int32_t *cffmpeg_stream_display_matrix(const AVStream *stream) {
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 30, 100)
    const AVPacketSideData *side_data = av_packet_side_data_get(
        stream->codecpar->coded_side_data, stream->codecpar->nb_coded_side_data,
        AV_PKT_DATA_DISPLAYMATRIX);
    if (side_data == NULL || side_data->size < 9 * sizeof(int32_t)) {
        return NULL;
    }
    return (const int32_t *)side_data->data;
#else
    size_t size = 0;
    const uint8_t *data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (data == NULL || size < 9 * sizeof(int32_t)) {
        return NULL;
    }
    return (const int32_t *)data;
#endif
}

// FFmpeg reports damage it conceals (a demuxer resynchronising after garbage, a decoder patching
// broken macroblocks) only through its log. This callback replaces the default printer: it prints
// nothing, and counts the error-level messages of every format or codec context whose `opaque`
// points to a cffmpeg_error_log, keeping the first message. Frame-threaded decoders log from their
// worker threads (whose contexts copy `opaque`), hence the atomic count.
typedef struct {
    int error_count;
    char first_message[256];
} cffmpeg_error_log;

static inline void cffmpeg_log_callback(void *context, int level, const char *format,
                                        va_list arguments) {
    if (level > AV_LOG_ERROR || context == NULL) {
        return;
    }
    const AVClass *class = *(const AVClass **)context;
    cffmpeg_error_log *log = NULL;
    if (class == avformat_get_class()) {
        log = (cffmpeg_error_log *)((AVFormatContext *)context)->opaque;
    } else if (class == avcodec_get_class()) {
        log = (cffmpeg_error_log *)((AVCodecContext *)context)->opaque;
    }
    if (log == NULL) {
        return;
    }
    if (__atomic_fetch_add(&log->error_count, 1, __ATOMIC_ACQ_REL) == 0) {
        vsnprintf(log->first_message, sizeof log->first_message, format, arguments);
    }
}

static inline void cffmpeg_install_log_callback(void) {
    av_log_set_callback(cffmpeg_log_callback);
}

static inline int cffmpeg_error_log_count(const cffmpeg_error_log *log) {
    return __atomic_load_n(&log->error_count, __ATOMIC_ACQUIRE);
}

#endif
