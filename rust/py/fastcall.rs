//! Method descriptors with the vectorcall (`METH_FASTCALL | METH_KEYWORDS`)
//! calling convention, for the adapter methods called per request.
//!
//! With `abi3-py39`, PyO3 gives its methods the tuple-and-dict convention:
//! every call builds an argument tuple and parses it, which costs more than the
//! routing itself. A method descriptor made by `PyDescr_NewMethod` from a
//! `METH_FASTCALL | METH_KEYWORDS` definition and set on a class is called like
//! a built-in type's method: with the arguments in place and no bound-method
//! object. Every CPython since 3.7 implements that convention (it is part of the
//! stable ABI from 3.10 on; 3.9, the oldest the module supports, implements it
//! identically), so the one wheel keeps working on all of them.
use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};

use super::utf8;

/// CPython's `METH_FASTCALL` flag (`methodobject.h`; `pyo3-ffi` leaves it out
/// of limited-API builds older than 3.10).
const METH_FASTCALL: c_int = 0x0080;

/// The signature CPython calls a `METH_FASTCALL | METH_KEYWORDS` function with.
pub(crate) type FastCall = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// A method definition that lives as long as the program.
pub(crate) struct MethodDef(ffi::PyMethodDef);

// SAFETY: the definition holds pointers to static C strings and a function, and
// is never written to after it is made: CPython only reads a `PyMethodDef`
// (the `*mut` in `PyCFunction_NewEx`'s signature is historical), so sharing it
// between threads cannot race.
unsafe impl Sync for MethodDef {}

impl MethodDef {
    /// A fast-call method named `name` running `function`; `doc` starts with
    /// the text signature CPython's `inspect` reads (`name($self, ...)\n--\n\n`).
    pub(crate) const fn new(
        name: &'static std::ffi::CStr,
        doc: &'static std::ffi::CStr,
        function: FastCall,
    ) -> Self {
        Self(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: ffi::PyMethodDefPointer {
                // SAFETY: CPython stores every method as a `PyCFunction` and casts
                // it back by `ml_flags`: with METH_FASTCALL | METH_KEYWORDS it calls
                // the pointer with `FastCall`'s signature, which is `function`'s.
                // Both are plain `extern "C"` function pointers of the same size.
                PyCFunction: unsafe { std::mem::transmute::<FastCall, ffi::PyCFunction>(function) },
            },
            ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: doc.as_ptr(),
        })
    }

    /// A method descriptor of this definition for instances of `cls`.
    pub(crate) fn descriptor<'py>(
        &'static self,
        cls: &Bound<'py, PyType>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        let definition = std::ptr::from_ref(&self.0).cast_mut();
        // SAFETY: `definition` is 'static and never written (see `MethodDef`);
        // `cls` is a live type object, which the descriptor keeps a reference to.
        // A NULL result comes with an exception set, which `from_owned_ptr_or_err`
        // turns into the error.
        unsafe {
            let descriptor = ffi::PyDescr_NewMethod(cls.as_ptr().cast(), definition);
            Bound::from_owned_ptr_or_err(py, descriptor)
        }
    }
}

/// The most parameters a [`FastMethod`] takes.
const MAX_PARAMETERS: usize = 6;

/// A fast call's arguments by parameter position; `None` where not given.
/// Borrowed from the caller for the length of the call: no reference counts
/// change.
pub(crate) type Arguments<'a, 'py> = [Option<Borrowed<'a, 'py, PyAny>>; MAX_PARAMETERS];

/// Arguments held as new references, for a method that keeps or passes them on.
pub(crate) type OwnedArguments<'py> = [Option<Bound<'py, PyAny>>; MAX_PARAMETERS];

/// `arguments` as new references.
pub(crate) fn owned<'py>(arguments: Arguments<'_, 'py>) -> OwnedArguments<'py> {
    arguments.map(|argument| argument.map(|value| value.to_owned()))
}

/// A fast-call method: its parameters and what it does with its receiver.
pub(crate) trait FastMethod {
    /// The method's name, for error messages.
    const METHOD_NAME: &'static str;
    /// Parameter names in order (at most [`MAX_PARAMETERS`]).
    const PARAMETERS: &'static [&'static str];
    /// How many leading parameters are required.
    const REQUIRED: usize;

    /// Runs the method on `receiver` (an instance of the descriptor's class:
    /// CPython checks that before the call).
    fn call_fast<'py>(
        receiver: &Bound<'py, PyAny>,
        arguments: Arguments<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>>;
}

/// A [`FastMethod`]'s parameters, as its calls are matched to them.
#[derive(Clone, Copy)]
struct Signature {
    /// The method's name, for error messages.
    function: &'static str,
    parameters: &'static [&'static str],
    required: usize,
}

impl Signature {
    fn of<T: FastMethod>() -> Self {
        Self {
            function: T::METHOD_NAME,
            parameters: T::PARAMETERS,
            required: T::REQUIRED,
        }
    }

    /// How many parameters a call can fill.
    fn count(self) -> usize {
        self.parameters.len().min(MAX_PARAMETERS)
    }
}

/// A fast call's arguments as CPython passes them: `nargs` positional ones,
/// then one for each name in the `kwnames` tuple (NULL: none).
#[derive(Clone, Copy)]
struct RawArguments {
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
}

impl RawArguments {
    /// How many arguments are passed by position.
    fn positional(self) -> usize {
        usize::try_from(self.nargs).unwrap_or(0)
    }
}

/// The arguments of a fast call, matched to `signature` (positional first,
/// then keywords) as a Python function with those parameters takes them.
/// Inlined into each method's `fast_call`, where the signature is constant:
/// a call that passes all the required ones by position only copies them.
///
/// # Safety
/// `raw.args` must point to `nargs` plus `len(kwnames)` objects that stay
/// alive for `'a`, and `raw.kwnames` be NULL or a tuple of `str`, as CPython
/// passes them to a fast-call method for the length of the call.
#[inline(always)]
unsafe fn arguments<'a, 'py>(
    py: Python<'py>,
    signature: Signature,
    raw: RawArguments,
) -> PyResult<Arguments<'a, 'py>> {
    let positional = raw.positional();
    if raw.kwnames.is_null() && (signature.required..=signature.count()).contains(&positional) {
        // SAFETY: the caller's guarantee, and `positional` is `nargs`.
        return Ok(unsafe { by_position(py, raw.args, positional) });
    }
    // SAFETY: the caller's guarantees, passed on.
    unsafe { arguments_in_full(py, signature, raw) }
}

/// The first `positional` arguments in their slots.
///
/// # Safety
/// `args[..positional]` must be live objects for `'a`.
#[inline(always)]
unsafe fn by_position<'a, 'py>(
    py: Python<'py>,
    args: *const *mut ffi::PyObject,
    positional: usize,
) -> Arguments<'a, 'py> {
    let mut out: Arguments<'a, 'py> = Default::default();
    for (i, slot) in out.iter_mut().enumerate().take(positional) {
        // SAFETY: within `args[..positional]` (caller's guarantee).
        *slot = Some(unsafe { Borrowed::from_ptr(py, *args.add(i)) });
    }
    out
}

/// [`arguments`] for a call with keywords, or with too few or too many
/// positional arguments.
///
/// # Safety
/// As for [`arguments`].
#[inline(never)]
unsafe fn arguments_in_full<'a, 'py>(
    py: Python<'py>,
    signature: Signature,
    raw: RawArguments,
) -> PyResult<Arguments<'a, 'py>> {
    let function = signature.function;
    let count = signature.count();
    let parameters = &signature.parameters[..count];
    let positional = raw.positional();
    if positional > count {
        return Err(PyTypeError::new_err(format!(
            "{function}() takes at most {count} arguments ({positional} given)"
        )));
    }
    // SAFETY: `positional` is `nargs`, within `args` (caller's guarantee).
    let mut out = unsafe { by_position(py, raw.args, positional) };
    if !raw.kwnames.is_null() {
        // SAFETY: `kwnames` is a live tuple (caller's guarantee).
        let keywords = unsafe { ffi::PyTuple_Size(raw.kwnames) };
        for k in 0..keywords {
            // SAFETY: `k` is within the tuple; the item is a borrowed `str`, and
            // its value sits at `args[nargs + k]`, live for `'a` (caller's
            // guarantee).
            let (name, value) = unsafe {
                let name = Bound::from_borrowed_ptr(py, ffi::PyTuple_GetItem(raw.kwnames, k));
                let index = usize::try_from(raw.nargs + k).unwrap_or(0);
                (name, Borrowed::from_ptr(py, *raw.args.add(index)))
            };
            let text = name.cast::<PyString>().ok().and_then(utf8).unwrap_or("");
            let Some(position) = parameters.iter().position(|n| *n == text) else {
                return Err(PyTypeError::new_err(format!(
                    "{function}() got an unexpected keyword argument {}",
                    name.repr()?
                )));
            };
            if out[position].is_some() {
                return Err(PyTypeError::new_err(format!(
                    "{function}() got multiple values for argument '{text}'"
                )));
            }
            out[position] = Some(value);
        }
    }
    let required = signature.required.min(count);
    if let Some(missing) = parameters[..required]
        .iter()
        .zip(&out)
        .find(|(_, v)| v.is_none())
    {
        return Err(PyTypeError::new_err(format!(
            "{function}() missing required argument '{}'",
            missing.0
        )));
    }
    Ok(out)
}

/// The function CPython calls for a [`FastMethod`] `T`'s method object.
pub(crate) unsafe extern "C" fn fast_call<T: FastMethod>(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the receiver and the arguments in
    // fast-call layout, on an attached thread — what `trampoline` and
    // `arguments` need. The caller holds the receiver for the whole call, so
    // it is borrowed, as the arguments are, without a reference of its own.
    unsafe {
        trampoline(|py| {
            let receiver = Borrowed::from_ptr(py, slf);
            let raw = RawArguments {
                args,
                nargs,
                kwnames,
            };
            let arguments = arguments(py, Signature::of::<T>(), raw)?;
            T::call_fast(&receiver, arguments)
        })
    }
}

/// Runs a fast-call body: its result as a new reference, or NULL with the
/// error (a panic included, as `PanicException`) set as the Python exception.
///
/// # Safety
/// Call only from a function CPython called, on a thread attached to the
/// interpreter.
unsafe fn trampoline(
    body: impl for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
) -> *mut ffi::PyObject {
    // SAFETY: CPython called us, so this thread is attached (caller's guarantee).
    let py = unsafe { Python::assume_attached() };
    let error = match catch_unwind(AssertUnwindSafe(|| body(py))) {
        Ok(Ok(value)) => return value.into_ptr(),
        Ok(Err(error)) => error,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic in kolben._router".to_owned());
            PanicException::new_err(message)
        }
    };
    error.restore(py);
    std::ptr::null_mut()
}
