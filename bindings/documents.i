/* The documents domain in Python and Lua: included by backoffice.i after the
 * Book, Entry and Cursor classes. Methods on books go in %extend bo_book. */
%include "backoffice/documents.h"
