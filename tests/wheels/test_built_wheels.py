"""The release artifacts that `.ci/wheels` builds, read but not run.

Each test id names the wheel's tier:

- ``tested``: the manylinux wheels. CI also installs them and runs the suite
  (x86_64 on CPython 3.9-3.14, aarch64 under emulation); here their binaries
  are only read.
- ``built``: macOS, musllinux and Windows. Nothing on this machine can run
  them, so these checks are all that stands behind them: the platform tag, the
  binary's format and architecture, that it links only CPython's stable ABI,
  the oldest OS it declares, the libraries it needs, and the exported init
  function.

Runs on the folder named by ``KOLBEN_WHEELS_DIR``; without it the module is
skipped. With it, a missing or unexpected artifact fails.
"""

from __future__ import annotations

import os
import re
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_FOLDER = os.environ.get("KOLBEN_WHEELS_DIR")
if not _FOLDER:
    pytest.skip(
        "KOLBEN_WHEELS_DIR is not set (CI sets it to the folder .ci/wheels fills)",
        allow_module_level=True,
    )

import lief  # noqa: E402

lief.logging.disable()

FOLDER = Path(_FOLDER)
INIT = "PyInit__router"


@dataclass(frozen=True)
class Wheel:
    platform: str  # the platform tag(s) in the file name, "."-joined
    tier: str  # "tested" or "built"
    system: str  # "manylinux", "musllinux", "macos" or "windows"
    arch: str  # "x86_64" or "aarch64"

    @property
    def native(self) -> str:
        # CPython on Windows has no abi3 suffix: it loads a plain .pyd.
        if self.system == "windows":
            return "kolben/_router.pyd"
        return "kolben/_router.abi3.so"

    def __str__(self) -> str:
        return f"{self.tier}:{self.platform.split('.')[-1]}"


WHEELS = [
    Wheel(
        "manylinux2014_x86_64.manylinux_2_17_x86_64", "tested", "manylinux", "x86_64"
    ),
    Wheel(
        "manylinux2014_aarch64.manylinux_2_17_aarch64", "tested", "manylinux", "aarch64"
    ),
    Wheel("musllinux_1_2_x86_64", "built", "musllinux", "x86_64"),
    Wheel("musllinux_1_2_aarch64", "built", "musllinux", "aarch64"),
    Wheel("macosx_10_12_x86_64", "built", "macos", "x86_64"),
    Wheel("macosx_11_0_arm64", "built", "macos", "aarch64"),
    Wheel("win_amd64", "built", "windows", "x86_64"),
]
REFERENCE = WHEELS[0]  # the wheel the suite runs on most

each_wheel = pytest.mark.parametrize("wheel", WHEELS, ids=str)

ELF_MACHINE = {"x86_64": lief.ELF.ARCH.X86_64, "aarch64": lief.ELF.ARCH.AARCH64}
MACHO_CPU = {
    "x86_64": lief.MachO.Header.CPU_TYPE.X86_64,
    "aarch64": lief.MachO.Header.CPU_TYPE.ARM64,
}
# PEP 599's libraries that a Rust extension can need; no X11, GL or glib here.
MANYLINUX_LIBRARIES = {
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "librt.so.1",
    "libpthread.so.0",
    "libutil.so.1",
    "libgcc_s.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
}
# DLLs of Windows 10 itself (Rust's minimum for this target). MinGW's own
# runtime (libgcc_s_seh-1.dll, libwinpthread-1.dll) is not on a user's machine.
WINDOWS_LIBRARIES = {
    "kernel32.dll",
    "ntdll.dll",
    "msvcrt.dll",
    "advapi32.dll",
    "bcrypt.dll",
    "bcryptprimitives.dll",
    "userenv.dll",
    "ws2_32.dll",
    "api-ms-win-core-synch-l1-2-0.dll",
    "python3.dll",
}
# What python3.dll exports only from CPython 3.10 on: 3.10's additions to the
# stable ABI and 3.11's type-name and buffer functions (CPython's
# Misc/stable_abi.toml). A cp39-abi3 module that imports one of them does not
# load on CPython 3.9 for Windows; elsewhere the name resolves against the
# interpreter's full API.
NEWER_THAN_3_9 = {
    "PyIter_Send",
    "PyUnicode_AsUTF8AndSize",
    "PyObject_GenericGetDict",
    "Py_NewRef",
    "Py_XNewRef",
    "PyModule_AddType",
    "PyType_FromModuleAndSpec",
    "PyType_GetModule",
    "PyType_GetModuleState",
    "PyFrame_GetLineNumber",
    "PyFrame_GetCode",
    "PyObject_CallNoArgs",
    "PyThreadState_GetFrame",
    "PyThreadState_GetID",
    "PyThreadState_GetInterpreter",
    "PyModule_AddObjectRef",
    "Py_FileSystemDefaultEncodeErrors",
    "PyCodec_Unregister",
    "PyErr_SetInterruptEx",
    "Py_Is",
    "Py_IsTrue",
    "Py_IsFalse",
    "Py_IsNone",
    "PyAIter_Check",
    "PyObject_GetAIter",
    "PyExc_EncodingWarning",
    "PyGC_Disable",
    "PyGC_Enable",
    "PyGC_IsEnabled",
    "PyType_GetName",
    "PyType_GetQualName",
    "PyStructSequence_UnnamedField",
    "PyObject_CheckBuffer",
    "PyObject_GetBuffer",
    "PyBuffer_GetPointer",
    "PyBuffer_SizeFromFormat",
    "PyBuffer_ToContiguous",
    "PyBuffer_FromContiguous",
    "PyObject_CopyData",
    "PyBuffer_IsContiguous",
    "PyBuffer_FillContiguousStrides",
    "PyBuffer_FillInfo",
    "PyBuffer_Release",
    "PyMemoryView_FromBuffer",
    "Py_Version",
    "PyErr_GetHandledException",
    "PyErr_SetHandledException",
}


def _version() -> str:
    sdists = sorted(FOLDER.glob("kolben-*.tar.gz"))
    if len(sdists) != 1:
        pytest.fail(f"expected one sdist in {FOLDER}, found {[p.name for p in sdists]}")
    return sdists[0].name[len("kolben-") : -len(".tar.gz")]


def _wheel_path(wheel: Wheel) -> Path:
    path = FOLDER / f"kolben-{_version()}-cp39-abi3-{wheel.platform}.whl"
    if not path.is_file():
        present = sorted(p.name for p in FOLDER.glob("*.whl"))
        pytest.fail(f"{path.name} is missing from {FOLDER} (has {present})")
    return path


_parsed: dict[Wheel, Any] = {}


@pytest.fixture
def binary(wheel: Wheel, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The wheel's native module, parsed by lief (Mach-O: the one slice)."""
    if wheel not in _parsed:
        with zipfile.ZipFile(_wheel_path(wheel)) as archive:
            folder = tmp_path_factory.mktemp(wheel.platform.split(".")[-1])
            path = Path(archive.extract(wheel.native, folder))
        if wheel.system == "macos":
            fat = lief.MachO.parse(str(path))
            assert fat is not None and fat.size == 1, "expected a single-arch Mach-O"
            _parsed[wheel] = fat.at(0)
        elif wheel.system == "windows":
            _parsed[wheel] = lief.PE.parse(str(path))
        else:
            _parsed[wheel] = lief.ELF.parse(str(path))
        assert _parsed[wheel] is not None, f"lief cannot read {wheel.native}"
    return _parsed[wheel]


def _tag_version(platform: str, prefix: str) -> tuple[int, int]:
    """(2, 17) from manylinux_2_17_x86_64, (10, 12) from macosx_10_12_x86_64."""
    for tag in platform.split("."):
        match = re.match(rf"{prefix}_(\d+)_(\d+)_", tag)
        if match:
            return int(match[1]), int(match[2])
    raise AssertionError(f"no {prefix}_X_Y tag in {platform}")


def _elf_versions(elf: Any) -> list[str]:
    return [
        aux.name
        for requirement in elf.symbols_version_requirement
        for aux in requirement.get_auxiliary_symbols()
    ]


def _macho_libraries(macho: Any) -> list[str]:
    own = lief.MachO.LoadCommand.TYPE.ID_DYLIB
    return [lib.name for lib in macho.libraries if lib.command != own]


def test_folder_holds_exactly_the_release_artifacts() -> None:
    version = _version()
    expected = {f"kolben-{version}.tar.gz"} | {
        f"kolben-{version}-cp39-abi3-{wheel.platform}.whl" for wheel in WHEELS
    }
    found = {p.name for p in FOLDER.iterdir() if p.name.startswith("kolben-")}
    assert found == expected


@each_wheel
def test_wheel_metadata_names_the_platform(wheel: Wheel) -> None:
    with zipfile.ZipFile(_wheel_path(wheel)) as archive:
        text = archive.read(f"kolben-{_version()}.dist-info/WHEEL").decode()
    tags = {
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Tag:")
    }
    assert tags == {f"cp39-abi3-{tag}" for tag in wheel.platform.split(".")}
    assert "Root-Is-Purelib: false" in text


@each_wheel
def test_python_files_are_the_tested_wheels(wheel: Wheel) -> None:
    def python_files(path: Path, native: str) -> dict[str, int]:
        with zipfile.ZipFile(path) as archive:
            return {
                info.filename: info.CRC
                for info in archive.infolist()
                if info.filename.startswith("kolben/") and info.filename != native
            }

    files = python_files(_wheel_path(wheel), wheel.native)
    assert {"kolben/__init__.py", "kolben/py.typed", "kolben/_router.pyi"} <= set(files)
    assert not [name for name in files if re.search(r"\.(so|pyd|dylib|dll)$", name)]
    assert files == python_files(_wheel_path(REFERENCE), REFERENCE.native)


@each_wheel
def test_binary_format_and_architecture(wheel: Wheel, binary: Any) -> None:
    if wheel.system == "windows":
        assert isinstance(binary, lief.PE.Binary)
        assert binary.header.machine == lief.PE.Header.MACHINE_TYPES.AMD64
        assert binary.optional_header.magic == lief.PE.PE_TYPE.PE32_PLUS
        assert binary.header.has_characteristic(lief.PE.Header.CHARACTERISTICS.DLL)
    elif wheel.system == "macos":
        assert isinstance(binary, lief.MachO.Binary)
        assert binary.header.cpu_type == MACHO_CPU[wheel.arch]
        assert binary.header.file_type in {
            lief.MachO.Header.FILE_TYPE.DYLIB,
            lief.MachO.Header.FILE_TYPE.BUNDLE,
        }
    else:
        assert isinstance(binary, lief.ELF.Binary)
        assert binary.header.identity_class == lief.ELF.Header.CLASS.ELF64
        assert binary.header.machine_type == ELF_MACHINE[wheel.arch]
        assert binary.header.file_type == lief.ELF.Header.FILE_TYPE.DYN
        needed = set(binary.libraries)
        if wheel.system == "musllinux":
            # musl's loader (ld-musl-<arch>.so.1) is its libc and answers to
            # libc.so; glibc's libc.so.6 and ld-linux would not load on Alpine.
            assert needed == {"libc.so"}
        else:
            assert "libc.so.6" in needed and "libc.so" not in needed


@each_wheel
def test_links_the_stable_abi_only(wheel: Wheel, binary: Any) -> None:
    if wheel.system == "windows":
        dlls = [entry.name.lower() for entry in binary.imports]
        assert "python3.dll" in dlls
        assert not [d for d in dlls if re.fullmatch(r"python3\d+t?\.dll", d)], dlls
    elif wheel.system == "macos":
        libraries = _macho_libraries(binary)
        assert not [lib for lib in libraries if "python" in lib.lower()], libraries
        # CPython's functions are looked up in the loading interpreter
        # (flat lookup, ordinal -2), not bound to a libpython.
        bound = {
            symbol.name: symbol.binding_info.library_ordinal
            for symbol in binary.symbols
            if symbol.name.startswith("_Py") and symbol.has_binding_info
        }
        assert bound and set(bound.values()) == {-2}, bound
    else:
        assert not [lib for lib in binary.libraries if "python" in lib.lower()]


@pytest.mark.parametrize(
    "wheel", [wheel for wheel in WHEELS if wheel.system == "windows"], ids=str
)
def test_windows_imports_nothing_newer_than_the_tag(wheel: Wheel, binary: Any) -> None:
    python3 = next(
        entry for entry in binary.imports if entry.name.lower() == "python3.dll"
    )
    names = {entry.name for entry in python3.entries}
    assert len(names) > 50  # the import table was read
    assert not names & NEWER_THAN_3_9


@pytest.mark.parametrize("wheel", [w for w in WHEELS if w.system != "windows"], ids=str)
def test_declares_the_oldest_system_its_tag_names(wheel: Wheel, binary: Any) -> None:
    """Windows tags name no oldest system: see the libraries test."""
    if wheel.system == "macos":
        declared = []
        if binary.has_build_version:
            assert (
                binary.build_version.platform == lief.MachO.BuildVersion.PLATFORMS.MACOS
            )
            declared.append(tuple(binary.build_version.minos[:2]))
        if binary.has_version_min:
            declared.append(tuple(binary.version_min.version[:2]))
        assert declared == [_tag_version(wheel.platform, "macosx")]
    elif wheel.system == "manylinux":
        versions = _elf_versions(binary)
        assert versions and all(v.startswith("GLIBC_") for v in versions), versions
        newest = max(
            tuple(int(n) for n in v[len("GLIBC_") :].split(".")) for v in versions
        )
        assert newest <= _tag_version(wheel.platform, "manylinux"), versions
    else:
        # musl versions no symbols, so nothing in the binary names 1.2: the tag
        # is the build's claim (zig's musl). A glibc symbol version would mean
        # the module was linked against glibc.
        assert _tag_version(wheel.platform, "musllinux") == (1, 2)
        assert _elf_versions(binary) == []


@each_wheel
def test_needs_only_system_libraries(wheel: Wheel, binary: Any) -> None:
    if wheel.system == "windows":
        dlls = {entry.name.lower() for entry in binary.imports}
        assert dlls <= WINDOWS_LIBRARIES, dlls - WINDOWS_LIBRARIES
    elif wheel.system == "macos":
        libraries = _macho_libraries(binary)
        assert "/usr/lib/libSystem.B.dylib" in libraries
        assert all(
            lib.startswith(("/usr/lib/", "/System/Library/")) for lib in libraries
        )
    elif wheel.system == "manylinux":
        assert set(binary.libraries) <= MANYLINUX_LIBRARIES, binary.libraries
    else:
        assert binary.libraries == ["libc.so"]


@each_wheel
def test_exports_the_init_function(wheel: Wheel, binary: Any) -> None:
    if wheel.system == "windows":
        assert binary.has_exports
        names = [entry.name for entry in binary.get_export().entries]
        assert names == [INIT]
    elif wheel.system == "macos":
        assert "_" + INIT in {symbol.name for symbol in binary.exported_symbols}
    else:
        symbol = binary.get_dynamic_symbol(INIT)
        assert symbol is not None and symbol.exported
        assert symbol.type == lief.ELF.Symbol.TYPE.FUNC
        assert INIT in {function.name for function in binary.exported_functions}


def test_sdist_carries_what_a_source_build_needs() -> None:
    version = _version()
    root = f"kolben-{version}"
    with tarfile.open(FOLDER / f"{root}.tar.gz") as sdist:
        names = set(sdist.getnames())
        pkg_info = sdist.extractfile(f"{root}/PKG-INFO")
        assert pkg_info is not None
        metadata = pkg_info.read().decode()
    for name in (
        "pyproject.toml",
        "Cargo.toml",
        "Cargo.lock",
        "rust/lib.rs",
        "rust/py/mod.rs",
        "python/kolben/__init__.py",
        "python/kolben/py.typed",
        "python/kolben/_router.pyi",
    ):
        assert f"{root}/{name}" in names, name
    assert not [n for n in names if "/target/" in n or n.endswith((".so", ".pyd"))]
    assert f"\nVersion: {version}\n" in metadata
