/*
 * The files a book writes out (exports, SAF-T, FEC, journals, payment
 * batches) carry personal data: they are made readable by their owner only
 * (mode 0600), whatever the umask. Internal.
 */
#ifndef BO_BOOK_FILES_H
#define BO_BOOK_FILES_H

/* Make sure path exists with mode 0600 before a library writes it in place
 * or beside it (libzip keeps the mode of the file it replaces): a file that
 * is there is set to 0600, one that is not is created empty with 0600 and
 * *made set (remove it on failure). 0 or BO_EIO naming the path. */
int bo__file_private(const char *path, int *made);

#endif
