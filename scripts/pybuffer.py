"""CPython's buffer protocol through ctypes, shared by the fixture generators.

`Py_buffer` as a ctypes structure, and the C API calls the generators need to see what a
consumer really gets: `PyObject_GetBuffer` (with its exception when the export fails,
as ctypes' PyDLL raises it), `PyBuffer_Release`, `PyMemoryView_FromBuffer` (a real
memoryview of any layout), and the real `buf` pointer of an object's export. The
`Py_buffer` layout is the same in CPython 3.11 and 3.13.
"""

import ctypes

PyBUF_FULL_RO = 0x0118 | 0x0004


class PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.POINTER(ctypes.c_ssize_t)),
        ("strides", ctypes.POINTER(ctypes.c_ssize_t)),
        ("suboffsets", ctypes.POINTER(ctypes.c_ssize_t)),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(PyBuffer)]
_from_buffer = ctypes.pythonapi.PyMemoryView_FromBuffer
_from_buffer.argtypes = [ctypes.POINTER(PyBuffer)]
_from_buffer.restype = ctypes.py_object


def get_buffer(obj, flags):
    """A live Py_buffer of obj (PyDLL raises the Python exception when the export fails)."""
    view = PyBuffer()
    _get_buffer(obj, ctypes.byref(view), flags)
    return view


def release_buffer(view):
    """PyBuffer_Release."""
    _release_buffer(ctypes.byref(view))


def memoryview_from_buffer(view):
    """PyMemoryView_FromBuffer: a memoryview with exactly `view`'s layout."""
    return _from_buffer(ctypes.byref(view))


def pointer_of(obj):
    """The real `buf` pointer of obj's buffer (even for an empty view)."""
    view = get_buffer(obj, PyBUF_FULL_RO)
    try:
        return view.buf or 0
    finally:
        release_buffer(view)
