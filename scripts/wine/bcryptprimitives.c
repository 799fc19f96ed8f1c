/* Test tooling only, never part of a release. Debian's wine 8 has no bcryptprimitives.dll,
 * which Rust's standard library imports on Windows (ProcessPrng, Windows 10 and later). This
 * stand-in exports ProcessPrng through advapi32's SystemFunction036 (RtlGenRandom), so that
 * the release's jianbao.exe starts under wine in scripts/check-release.sh. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
