/* Test tooling only: holds a file open the way a PDF viewer or Excel does on Windows (no
 * sharing of write or delete), until the file named as the second argument appears. Used by
 * scripts/check-release.sh to show that a rebuild leaves out/ unmixed while a PDF is open. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 3) {
        fwprintf(stderr, L"usage: hold_open FILE RELEASE-WHEN-THIS-EXISTS\n");
        return 2;
    }
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fwprintf(stderr, L"cannot open %ls: %lu\n", argv[1], GetLastError());
        return 1;
    }
    wprintf(L"holding %ls\n", argv[1]);
    fflush(stdout);
    for (int i = 0; i < 1200 && GetFileAttributesW(argv[2]) == INVALID_FILE_ATTRIBUTES; i++) Sleep(100);
    CloseHandle(h);
    return 0;
}
