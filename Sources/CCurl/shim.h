#ifndef REFGATE_CCURL_SHIM_H
#define REFGATE_CCURL_SHIM_H

// Swift cannot call C variadic functions. curl_easy_setopt and
// curl_easy_getinfo are variadic, so each argument type gets one
// non-variadic static inline wrapper (the pattern of GRDB's SQLite shim).

#include <curl/curl.h>

static inline CURLcode refgate_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode refgate_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode refgate_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode refgate_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode refgate_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*refgate_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode refgate_easy_setopt_data_callback(CURL *handle, CURLoption option, refgate_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

typedef int (*refgate_seek_callback)(void *context, curl_off_t offset, int origin);

static inline CURLcode refgate_easy_setopt_seek_callback(CURL *handle, CURLoption option, refgate_seek_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode refgate_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode refgate_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode refgate_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode refgate_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode refgate_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif
