/* Shipping labels (backoffice/label.h) in Python and Lua: a Label class
 * for the builder, module functions label_renderer() and
 * label_sscc_check_digit(). Included by backoffice.i after the domains. */
%rename("$ignore", regextarget=1, %$isfunction) "^bo_label_";
%rename(Label) bo_label;
%include "backoffice/label.h"

/* A Label made by its constructor: raise when NULL; a freed one raises. */
#ifdef SWIGPYTHON
%typemap(out) bo_label *, struct bo_label * {
    if (!$1) {
        bo_py_raise_last(bo_swig_rc ? bo_swig_rc : BO_ERROR);
        SWIG_fail;
    }
    $result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $descriptor, $owner | %newpointer_flags);
}
%typemap(check) struct bo_label *self {
    if (!$1) {
        bo_py_raise(BO_EINVAL, "label: None or a closed Label");
        SWIG_fail;
    }
}
#endif
#ifdef SWIGLUA
%typemap(out) bo_label *, struct bo_label * {
    if (!$1) {
        bo_lua_push_error(L, bo_swig_rc ? bo_swig_rc : BO_ERROR, bo_error_message());
        SWIG_fail;
    }
    SWIG_NewPointerObj(L, $1, $descriptor, $owner);
    SWIG_arg++;
}
%typemap(check) struct bo_label *self {
    if (!$1) {
        bo_lua_push_error(L, BO_EINVAL, "label: nil or a closed Label");
        SWIG_fail;
    }
}
#endif

%feature("docstring", "A shipping label being built: Label(size, dpi) with size
LABEL_4X6, LABEL_100X150, LABEL_A6 or LABEL_100X100 and dpi 203 or 300; set
its fields, then write(format, path) with LABEL_PDF, LABEL_PNG, LABEL_SVG or
LABEL_ZPL, or write_a4(second_or_None, path).") bo_label;

struct bo_label {};

%extend bo_label {
    bo_label(int size, int dpi) {
        bo_label *label = NULL;
        bo_swig_rc = bo_label_new(&label, size, dpi);
        return label;
    }
    ~bo_label() {
        bo_label_free(self);
    }
    /* No bodies: SWIG calls bo_label_<method>(self, ...) directly. */
    int set(const char *field, const char *value = NULL);
    int set_cod(int64_t amount, const char *currency = NULL);
    int set_weight(int64_t grams);
    int set_package(int n, int of);
    int write(int format, const char *path);
    int write_a4(const bo_label *second, const char *path);
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the label now. Idempotent."""
        _backoffice._release(self)
%}
#endif
}

%apply int BO_VALUE { int label_renderer };
%inline %{
/* 1 when PDF, PNG and SVG labels can be rendered in this build, else 0. */
static int label_renderer(void) {
    return bo_label_renderer();
}
/* The GS1 check digit of an SSCC's first 17 digits. */
static int label_sscc_check_digit(int *digit, const char *digits) {
    return bo_label_sscc_check_digit(digits, digit);
}
%}
