#ifndef PROMPTVTG_CHDF5_SHIM_H
#define PROMPTVTG_CHDF5_SHIM_H

// Debian's serial libhdf5 (libhdf5-dev). The header is not on the default search path, so it is
// included by its full path under /usr/include; the library is linked as libhdf5_serial.
#include <hdf5/serial/hdf5.h>

// These HDF5 "constants" are macros that expand to H5open() calls, which Swift cannot import.
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline unsigned chdf5_access_read_only(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_access_truncate(void) { return H5F_ACC_TRUNC; }
static inline hid_t chdf5_file_create_properties(void) { return H5P_FILE_CREATE; }
static inline hid_t chdf5_dataset_create_properties(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_group_create_properties(void) { return H5P_GROUP_CREATE; }

// Stops libhdf5 from printing its error stack to stderr; callers turn failures into typed errors.
static inline void chdf5_silence_error_printing(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

#endif
