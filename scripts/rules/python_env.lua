-- Recovery rules for Python / pip / virtual-environment failures.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.
return {
  {
    id = "python_version_unsupported",
    patterns = {
      any = {
        "requires a different python",
        -- pip checking several packages at once.
        "packages require a different python",
        -- Installers' and launchers' own checks of the interpreter (InvokeAI, text-generation-webui, ROCm guides).
        "your (version of python|python version) is too (low|old|high|new)",
        -- Thunder's interpreter naming the running Python's version_info as unsupported.
        "\\bsys\\.version_info\\([^)]*\\) (is )?not supported",
        "a suitable python interpreter could not be found",
        "\\bpython 3\\.\\d+ is (now )?required\\b",
        -- A program's own check (YOLOv5's): 'Python 3.7.0 required by X, but Python 3.6.9 is currently installed'.
        "\\bpython 3\\.\\d+(\\.\\d+)? required by [^\\n]{1,80}but python 3\\.\\d+(\\.\\d+)? is (currently )?installed",
        "python version must be between [\\d.]+ and [\\d.]+",
        "python version must be (higher|greater|newer|lower|older) than",
        -- packaging's lock-file (pylock.toml) selection: the interpreter outside a requires-python.
        "does not satisfy the python version requirement",
        -- Pipenv's, Hatch's and pybind11's checks of the interpreter against what they need.
        "requires \"?python_version\"? [\\d.]+, but you are using [\\d.]+",
        "no installed python satisfies|no compatible python distribution available",
        "unable to satisfy python version constraint",
        -- Installers' and applications' own checks (SwarmUI, Ultralytics, Nunchaku).
        "you have a python version installed, but it is not 3\\.\\d+",
        "python version[^\\n]*not in the (acceptable|supported) range",
        "not (currently )?supported on your python version",
        "required,? but python ?=*3\\.\\d+(\\.\\d+)? is (currently )?installed",
        "does not support python ?(<|<=) ?3\\.\\d+|does not support python version [\\d.]+",
        "ignored the following versions that require a different python version",
        "requires-python",
        "but the running python is",
        -- uv: no wheel for this interpreter's ABI tag.
        "only has wheels with the following python abi tags",
        "you're using cpython \\d+\\.\\d+ \\(`?cp\\d+",
        -- A setup script's own refusal (numba, llvmlite).
        "cannot install on python version [\\d.]+; only versions",
        -- Poetry: the project's Python range against a dependency's.
        "supported python range \\([^)]*\\) is not compatible with some of the required packages python requirement",
        -- uv's resolver when the interpreter is the constraint.
        "the (current|requested) python version \\([^)]*\\) does not satisfy",
        -- conda's solver when the interpreter is the constraint.
        "incompatible with the existing python installation in your environment",
        -- Poetry: the project's Python range excludes the interpreter.
        "current python version \\([^)]*\\) is not (supported|allowed) by the project",
        -- A launcher's own check of the interpreter (stable-diffusion-webui's).
        "skip-python-version-check",
        "(downgrade|upgrade)[^\\n]{0,40}\\b3\\.\\d+ python",
        -- torch.compile's own check of the interpreter.
        "python 3\\.\\d+\\+? (is )?not (yet )?supported for torch\\.compile",
        -- uv's check of the interpreter it picked against the project's requires-python.
        "which is incompatible with the (project|script)'?s python requirement",
        -- SD.Next's check of the interpreter.
        "python incompatible: current [\\d.]+ required",
        -- Poetry finding no interpreter the project's python constraint allows.
        "poetry was unable to find a compatible version",
        -- distutils, removed in Python 3.12, imported by an old package's build: the package predates this Python.
        "no module named '?distutils'?",
      },
    },
    hints = {
      "requires[- ]python|python_requires",
      "(requires|needs) a (different|newer|older) python|only (python )?versions? [^\\n]*(is|are) supported",
      "python (version|interpreter).*(not supported|unsupported|not compatible|incompatible|does not satisfy|not allowed)",
      "(unsupported|incompatible|not supported).*python (version|\\d)",
      "\\bcp3\\d{1,2}\\b",
      "incompatible with the existing python|python\\[version=",
      "\\bdistutils\\b",
      -- A program's own version check, and Poetry finding no file of a package for this interpreter.
      "\\bpython [\\d.]+\\+? (is )?required\\b",
      "unable to find installation candidates for",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The package (or the requested version) does not support this Python version (${python}).",
    steps = {
      "Check the interpreter: ${python} --version",
      "Recreate the environment with a supported Python, e.g.: uv venv --python 3.11 ${venv} (or: python3.11 -m venv ${venv})",
      "Then reinstall: gpuhost run ${profile}",
    },
    fix = { action = "recreate_env" },
  },
  {
    id = "no_matching_distribution",
    patterns = {
      any = {
        "no matching distribution found for",
        -- ExecuTorch's installer: no prebuilt torch for this platform (Intel Macs).
        "prebuilt (pytorch )?wheels are no longer available for",
        "could not find a version that satisfies the requirement",
        -- uv: "Because there is no version of torch==2.1.0+cpu and you require ..."
        "there is no version of [[:alnum:]_.-]+",
        -- uv: no wheel for this interpreter or platform.
        "has no wheels (are )?(available )?with a matching",
        -- conda, mamba and Poetry.
        "packagesnotfounderror|the following packages are not available from current channels",
        "does not exist \\(perhaps a typo or a missing channel\\)",
        "which doesn'?t match any versions",
        "doesn'?t have a source distribution or wheel for the current platform",
        -- pip refusing a wheel whose tags do not fit this interpreter or platform.
        "is not a supported wheel on this platform",
        -- A vendor build pinned by its local version (torch==1.9.1+cu111): only the vendor's index carries it, so the default index lists the bare versions and none fits.
        "satisfies the requirement [[:alnum:]_.-]+==[\\d.]+\\+(cu|rocm|cpu)[\\d.]*",
        -- uv and Poetry finding the release but no wheel for this platform.
        "wheels are available for `[^`]+` \\([^)]*\\) on the following platforms",
        "only has wheels for the following platforms",
        "binary distribution is incompatible with the current platform",
        "unable to find installation candidates for",
        -- uv's first-index strategy: the package is on an earlier index (PyTorch's), but not the version wanted
        -- (uv wraps its hints at the terminal's width, so each pattern stops before a likely break).
        "was found on https?://\\S+,? but not at the\\b",
        "a compatible version may be available on a\\b",
        "wheel\\(s\\) were skipped as your project's environment does not support the identified abi tags",
      },
      none = {
        "failed to establish a new connection",
        "temporary failure in name resolution",
        "proxyerror",
        "certificate_verify_failed",
        -- The launcher said the interpreter is the wrong version: the missing wheel follows from it.
        "skip-python-version-check",
        -- pip could not fetch the index over TLS: the empty list follows from it (ssl_certificate_error).
        "there was a problem confirming the ssl certificate",
        "certificate verify failed",
      },
    },
    hints = {
      "no matching distribution",
      "could not find a version",
      "(no|not a) (valid )?version",
      "not available from",
      "(package|distribution).*not found",
      "doesn'?t match any versions",
      "\\bno wheels?\\b",
      "\\bbut not at the requested version\\b|\\bwas found on https?://\\S+, but not at the\\b",
    },
    severity = "error",
    confidence = 0.8,
    diagnosis = "No wheel of the requested version exists for this Python version / platform on the configured index (wrong index URL, pinned version removed, 32-bit Python, or too new a Python).",
    steps = {
      "See which versions exist for this interpreter: ${venv}/bin/pip index versions <package>",
      "Check the interpreter is 64-bit and supported: ${python} -c \"import sys, platform; print(sys.version, platform.machine())\"",
      "For torch+cuXYZ pins use the PyTorch index: ${venv}/bin/pip install torch --index-url https://download.pytorch.org/whl/${accelerator}",
      "Relax the pin (e.g. torch==1.13.1 -> torch>=2.0) or recreate the env with an older Python: gpuhost run ${profile}",
    },
  },
  {
    id = "externally_managed_environment",
    patterns = {
      any = {
        "externally-managed-environment",
        "this environment is externally managed",
        "break-system-packages",
        -- uv's wording.
        "the interpreter at [^\\n]* is externally managed",
        -- PEP 668's message as distributions and Homebrew word it.
        "to install python packages system-wide, try",
      },
    },
    hints = {
      "externally[- ]managed",
      "break-system-packages",
      "pep 668",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "pip refused to install into the distribution's system Python (PEP 668).",
    steps = {
      "Create a virtual environment instead: python3 -m venv ${venv} (Debian/Ubuntu: sudo apt install python3-venv python3-full first)",
      "Install into it: ${venv}/bin/pip install <package>",
      "Or let gpuhost manage it: gpuhost run ${profile}",
    },
    fix = { action = "recreate_env" },
  },
  {
    id = "hash_mismatch",
    patterns = {
      any = {
        "these packages do not match the hashes from the requirements file",
        "expected sha256",
        "hash mismatch",
        -- pip's cache holding a damaged wheel, and conda's package cache holding a damaged package.
        "previously-downloaded file [^\\n]* has bad hash",
        "condaverificationerror|appears to be corrupted\\. the path",
        -- conda's checks of a downloaded package against the channel's checksum.
        "md5 sums mismatch for download",
        "checksummismatcherror",
        "mismatch between the expected content and downloaded content",
        -- mamba's and Poetry's checks.
        "has incorrect (sha256|md5)",
        "not found in known hashes",
        -- mamba finding a downloaded package of the wrong size: truncated or corrupted.
        "has incorrect size",
      },
    },
    hints = {
      "\\bhash(es)?\\b",
      "checksum",
      "\\b(sha256|md5|sha1)\\b",
      "\\bcorrupt",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "A downloaded wheel does not match its expected hash - usually a truncated/corrupted download or a stale pip cache entry.",
    steps = {
      "Clear the cache: ${venv}/bin/pip cache purge",
      "Retry without the cache: ${venv}/bin/pip install --no-cache-dir <package>",
      "For slow links increase the timeout: ${venv}/bin/pip install --timeout 120 --retries 10 <package>",
    },
    fix = { action = "purge_pip_cache" },
  },
  {
    id = "numpy_abi_mismatch",
    patterns = {
      any = {
        -- torch's bridge to NumPy when importing NumPy failed (a NumPy 2 against a torch built on 1.x).
        "\\bnumpy is not available\\b",
        -- torch not knowing NumPy's scalar types: its bridge was built against another NumPy.
        "could not infer dtype of numpy\\.[[:alnum:]_]+",
        "compiled using numpy 1\\.",
        -- import_array()'s checks in a C extension (NumPy 1.x and 2.x headers).
        "module (was )?compiled against (numpy c-)?(api|abi) version 0x[0-9a-f]+",
        "numpy\\.dtype size changed, may indicate binary incompatibility",
        "numpy\\.ndarray size changed, may indicate binary incompatibility",
        "numpy\\.core\\.(multiarray|umath) failed to import",
        "_array_api not found",
        "downgrade to 'numpy<2'",
        "modules will need time to support numpy 2",
      },
    },
    hints = {
      "\\bnumpy\\b.*(compiled|abi|api version|binary incompatib|numpy 2|1\\.x)",
      "_array_api|multiarray|dtype size changed",
      "numpy\\.core\\._multiarray_umath",
      "\\bnumpy\\b[^\\n]*(is not available|infer dtype)",
      -- torch built for NumPy 1.x not knowing NumPy 2.x scalar types.
      "infer dtype of numpy",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "A compiled module was built against a different NumPy major version (1.x vs 2.x) than the one installed.",
    steps = {
      "Check versions: ${venv}/bin/pip list 2>/dev/null | grep -i -E '^numpy|^torch|^opencv|^pandas'",
      "Quick fix: ${venv}/bin/pip install 'numpy<2'",
      "Or upgrade the affected package to a NumPy-2 build: ${venv}/bin/pip install --upgrade <package>",
    },
  },
  {
    id = "permission_denied_site_packages",
    patterns = {
      any = {
        "\\[errno 13\\] permission denied: '[^']*site-packages",
        "\\[errno 13\\] permission denied: '[^']*dist-packages",
        -- conda finding no package cache it may write (the base install's belongs to root).
        "nowritablepkgsdirerror|no writeable pkgs directories configured",
        -- setuptools' wording.
        "could not create '[^']*(site|dist)-packages[^']*': permission denied",
        "consider using the `--user` option or check the permissions",
        -- conda's refusal to write a shared installation.
        "environmentnotwritableerror",
        "does not have write permissions to the target environment",
        "notwritableerror",
        "does not have write permissions to a required path",
        -- setuptools' easy_install on a directory the user may not write.
        "can'?t create or remove files in install directory",
      },
    },
    hints = {
      "permission denied.*(site|dist)-packages|(site|dist)-packages.*permission denied",
      "errno 13\\b",
      "not ?writable|write permission|access is denied",
      -- Windows' ERROR_ACCESS_DENIED and pip's advice after any refused write.
      "winerror 5\\b|consider using the `?--user`? option",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "pip tried to write into a system-wide site-packages directory the current user cannot modify.",
    steps = {
      "Do not use sudo pip; create a virtual environment: python3 -m venv ${venv}",
      "Install there: ${venv}/bin/pip install <package>",
      "If ${venv} itself is root-owned (earlier sudo run), fix it: sudo chown -R $USER ${venv}",
    },
    fix = { action = "recreate_env" },
  },
  {
    id = "pip_resolver_conflict",
    patterns = {
      any = {
        -- pip's own report templates (pip/_internal/commands/install.py, check.py,
        -- resolution/resolvelib/factory.py): the 2020 and the legacy resolver,
        -- `pip check`, and uv's resolver. A requirement may hold commas
        -- ("torch<2.1,>=2.0") and extras, so it is matched up to the line's end.
        "resolutionimpossible",
        "pip's dependency resolver does not currently take into account",
        "pip's legacy dependency resolver does not consider dependency conflicts",
        "because these package versions have conflicting dependencies",
        "the conflict is caused by",
        "requires [[:alnum:]_.\\[\\]-]+ ?[=<>!~(][^\n]*, but you(?:'ll)? have ",
        "has requirement [[:alnum:]_.\\[\\]-]+ ?[=<>!~(][^\n]*, but you(?:'ll)? have ",
        "[[:alnum:]_.-]+ [0-9][^ \n]* requires [[:alnum:]_.\\[\\]-]+[^\n]*, which is not installed",
        "depends on torch ?[=<>!~]=",
        "no solution found when resolving dependencies",
        "we can conclude that your requirements are unsatisfiable",
        -- uv: "... we can conclude that torch==2.7.1 and triton==3.3.1 are incompatible"
        "we can conclude that [^\\n]* are incompatible",
        -- Poetry's solver.
        "version solving failed",
        -- conda's solver reporting the same kind of conflict.
        "following specifications were found to be in conflict",
        "^\\W*package [[:alnum:]_.-]+ conflicts for:",
        -- conda's and mamba's solvers.
        "specifications were found to be incompatible with each other",
        "the following packages are incompatible",
        -- libsolv (conda, mamba): a companion pinned to a torch no solution can install.
        "requires [^,]+, but none of the providers can be installed",
      },
      none = {
        -- uv names a version that is not on the index, or no wheel for this
        -- platform (no_matching_distribution), or the interpreter as what
        -- cannot be satisfied (python_version_unsupported).
        "there is no version of [[:alnum:]_.-]+",
        "has no wheels (are )?(available )?with a matching",
        "the (current|requested) python version \\([^)]*\\) does not satisfy",
        -- Poetry naming a version that does not exist: no_matching_distribution.
        "which doesn'?t match any versions",
        -- uv's first index has the package but not the version: the index, not a conflict.
        "was found on https?://\\S+,? but not at the\\b",
      },
    },
    hints = {
      "conflict",
      -- Packages or requirements that are incompatible (an incompatible driver is not a resolver failure).
      "incompatible.*(package|requirement|dependenc|wheel|\\bpip\\b|\\buv\\b)|(package|requirement|dependenc|wheel|\\bpip\\b|\\buv\\b).*incompatible",
      "resolutionimpossible|unsatisfiable",
      "dependency resolver|version solving",
      "no solution found when resolving|\\bare incompatible\\b",
    },
    severity = "warning",
    confidence = 0.85,
    diagnosis = "The requested packages pin incompatible versions of the same dependency (typically torch vs torchvision/torchaudio/xformers).",
    steps = {
      "See the conflicting pins: ${venv}/bin/pip check",
      "Install torch, torchvision and torchaudio together from one index so versions match: ${venv}/bin/pip install torch torchvision torchaudio --index-url https://download.pytorch.org/whl/${accelerator}",
      "Loosen '==' pins in requirements.txt for the packages named after 'The conflict is caused by'",
      "If the env is a mess, start clean: gpuhost run ${profile} (after rm -rf ${venv})",
    },
  },
  {
    id = "venv_broken_python",
    patterns = {
      any = {
        "bad interpreter: no such file or directory",
        -- zsh names the missing interpreter; macOS virtualenvs point at a removed framework Python.
        "bad interpreter: [^\\n]*python[\\d.]*: no such file or directory",
        "library not loaded: @executable_path/\\.\\./\\.python",
        -- Windows: a script launcher whose interpreter path no longer exists.
        "fatal error in launcher: unable to create process using",
        "could not find platform independent libraries",
        "no module named 'encodings'",
        "error while loading shared libraries: libpython\\d",
        "fatal python error: init_fs_encoding",
        -- The Windows py launcher pointing at a removed interpreter, and a macOS venv whose framework Python is gone.
        "no python at '[^']*python[^']*\\.exe'",
        "library not loaded: [^\\n]*python\\.framework/versions/[\\d.]+/python",
        -- uv's and CPython's launchers finding the venv's interpreter gone.
        "was the underlying python interpreter removed",
        "did not find executable at '[^']*python[^']*\\.exe'",
        -- A virtualenv whose copied interpreter is older than the stdlib it reads (after a system Python upgrade).
        "cannot import name '?_compare_digest",
        -- Poetry's check of the environment it created.
        "virtual environment found in [^\\n]* seems to be broken",
        -- pipx finding its environments' interpreters gone.
        "has invalid interpreter|missing python interpreter",
        -- A program starting an environment's own interpreter that is no longer there (pipx, uv).
        "no such file or directory: '[^']*/(\\.?venvs?|\\.?virtualenvs)/[^']*/bin/python[\\d.]*'",
        "interpreter not found at [`'\"]?[^\\n]*/(\\.?venvs?|\\.?virtualenvs)/([^\\n]*/)?bin/python",
      },
    },
    hints = {
      "bad interpreter",
      -- The interpreter a venv or launcher points at, gone: macOS' loader, the Windows launcher, an old stdlib.
      "library not loaded[^\\n]*python|fatal error in launcher|_compare_digest",
      "pyvenv\\.cfg",
      "\\bencodings\\b",
      "no python at",
      -- A venv interpreter linked into a versioned Homebrew keg, which `brew upgrade` removes.
      "/cellar/python(@[\\d.]+)?/[\\d._]+/bin/python",
      "(venv|virtualenv|\\.venv).*(python|interpreter).*(not found|no such file|missing|broken)",
      -- The environment's interpreter itself missing.
      "/bin/python[\\d.]*\\b[^\\n]*(no such file|not found)|\\bpython[\\d.]*(\\.exe)?:? (no such file|not found|cannot find)",
      -- An environment's interpreter without its own pip: a venv left half-made or carried over an upgrade.
      "/bin/python[\\d.]*: no module named pip",
      -- A tool's own environment (pipx, uv) whose interpreter is gone.
      "(no such file|not found)[^\\n]*/(venvs?|\\.venv)/[^\\n]*/bin/python|python interpreter not found at|no virtual environment found",
      "underlying python interpreter (was )?removed|broken symlink at [^\\n]*python",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The virtual environment points at a Python interpreter that was removed or upgraded.",
    steps = {
      "See which interpreter it expects: cat ${venv}/pyvenv.cfg; ls -l ${venv}/bin/python",
      "Recreate it: rm -rf ${venv} && gpuhost run ${profile}",
    },
    fix = { action = "recreate_env" },
  },
  {
    id = "extension_abi_mismatch",
    patterns = {
      any = {
        "\\.so: undefined symbol: _zn",
        "undefined symbol: _zn",
        "\\.so: undefined symbol",
        -- A companion built for another torch, as the companion itself says (IPEX, torchvision, xFormers).
        "intel.? extension for pytorch\\*? (\\d[\\d.]* )?needs to work with pytorch",
        "compiled with different cuda major versions",
        -- Ultralytics' check of torchvision against the torch beside it.
        "torchvision==[\\d.]+ is incompatible with torch==[\\d.]+",
        -- torchao's and Horovod's checks of the torch they were built for.
        "cpp extensions due to incompatible torch version",
        "framework torch installed with version [^ ]+ but found version",
        "xformers can't load c\\+\\+/cuda extensions",
        "xformers was built for:?$",
        -- DeepSpeed's ops built against another torch.
        "ops were compiled and installed with a different version than what is being used at runtime",
        -- torchvision's own operators missing: a torchvision built for another torch.
        "couldn'?t load custom c\\+\\+ ops",
        "operator torchvision::[[:alnum:]_]+ does not exist",
        -- Windows' undefined symbol: a DLL found but lacking a procedure the extension imports (WinError 127).
        "the specified procedure could not be found",
        "winerror 127",
        "the procedure entry point [^\\n]* could not be located",
        -- Unsloth naming a companion package built for another torch.
        "you have torch ?= ?[\\d.]+\\S* but (xformers|torchvision|torchaudio|triton|bitsandbytes) ?=",
        -- A traceback through torchvision's import of its compiled operators (_C): they did not
        -- load against the torch that did (on Windows, "DLL load failed").
        "from torchvision import _c\\b",
        -- A torch library the extension was linked against that this torch does not have:
        -- torch split and merged them across releases (libtorch_cpu/_cuda from 1.5, _cuda_cu/_cuda_cpp in 1.8-1.12).
        "libtorch_(cpu|cuda|cuda_cu|cuda_cpp|hip)\\.so: cannot open shared object file",
      },
      none = {
        -- The installed torch is a CPU build: torch_cpu_build_on_gpu.
        "\\(you have [\\d.]+\\+cpu\\)",
        -- SYCL's own symbols: a oneAPI release mismatch (oneapi_lib_missing).
        "undefined symbol: _zn4sycl",
        -- HIP's and ROCm's own symbols: a ROCm release mismatch (rocm_lib_missing).
        "undefined symbol: _zn\\d+(hip_impl|hip|hsa|rocblas|miopen|rccl|hipblas|rocfft|hipfft)\\d",
      },
    },
    hints = {
      "undefined symbol",
      -- An extension that would not load against the torch installed ("you have ..." is its version).
      "(can'?t|couldn'?t|could not|cannot|unable to) load[^\\n]*(extensions?|custom [^\\n]*ops)|\\(you have [\\d.]+[^)]*\\)",
      "torchvision::|specified procedure could not be found",
      "(built|compiled) (for|with|against).*(pytorch|torch)",
      "\\babi\\b",
      "(pytorch|torch).*version mismatch",
      -- A library's registered operator missing: built for another torch.
      "operator [[:alnum:]_]+::[[:alnum:]_]+ does not exist",
      -- A package's compiled module (_C) that would not load.
      "from [[:alnum:]_.]+ import _c\\b",
      -- An extension linked against a libtorch_* library this torch does not have.
      "\\blibtorch_[[:alnum:]_]+\\.(so|dylib)",
      -- An extension (IPEX) naming the torch it was built for against the one it found.
      "needs to work with pytorch [\\d.*]+",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "A compiled extension (flash-attn, xformers, torchvision, ...) was built for a different PyTorch version than the one installed.",
    steps = {
      "Check versions: ${venv}/bin/pip list 2>/dev/null | grep -i -E '^torch|flash|xformers|vision|audio'",
      "Reinstall the extension against the current torch: ${venv}/bin/pip install --no-cache-dir --force-reinstall --no-build-isolation <package>",
      "Or install the prebuilt wheel whose name matches your torch / CUDA / cxx11abi / Python",
    },
    fix = { action = "purge_pip_cache" }
  },
}
