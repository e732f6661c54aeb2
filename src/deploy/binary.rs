//! Which rmqctl executable `deploy` uploads and whether a host can run it: the ELF facts of a
//! binary (architecture, static or dynamic, the newest glibc symbol version it needs), the facts of
//! a host (from what `deploy::inspect` read there, with [`LIBC_PROBE`]) and the check between the
//! two.

use object::elf;
use object::read::elf::{FileHeader, ProgramHeader};
use object::{Endianness, FileKind};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The shell command whose output says a host's C library (the inspection script's libc line,
/// read by [`HostLibc::parse`]): `glibc 2.17` from getconf; where getconf does not know
/// `GNU_LIBC_VERSION`, as on musl hosts, the first line of `ldd --version`, which musl prints on
/// stderr: `musl libc (x86_64)`.
pub const LIBC_PROBE: &str =
    "(getconf GNU_LIBC_VERSION || ldd --version 2>&1 | head -n 1) 2>/dev/null";

/// File name of a static build installed beside a dynamic `rmqctl` (see [`choose_upload_binary`]).
pub const STATIC_SIBLING_NAME: &str = "rmqctl-static";

/// A glibc version as symbol versions spell it (`GLIBC_2.2.5`, `GLIBC_2.34`) and hosts report it
/// (`glibc 2.17`). Ordered numerically: 2.2.5 < 2.17 < 2.34.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GlibcVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl GlibcVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        GlibcVersion {
            major,
            minor,
            patch,
        }
    }

    /// The version of a symbol-version name such as `GLIBC_2.34`; `None` for other names
    /// (`GLIBC_PRIVATE`, `GCC_3.0`, ...).
    pub fn from_symbol_version(name: &str) -> Option<Self> {
        name.strip_prefix("GLIBC_")?.parse().ok()
    }
}

impl fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.patch != 0 {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// `text` is not a glibc version (`2.17` or `2.2.5`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a glibc version (expected e.g. 2.17): {0:?}")]
pub struct BadGlibcVersion(pub String);

impl FromStr for GlibcVersion {
    type Err = BadGlibcVersion;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadGlibcVersion(text.to_string());
        let mut parts = text.split('.').map(|p| p.parse::<u32>().map_err(|_| bad()));
        let major = parts.next().ok_or_else(bad)??;
        let minor = parts.next().ok_or_else(bad)??;
        let patch = parts.next().transpose()?.unwrap_or(0);
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(GlibcVersion::new(major, minor, patch))
    }
}

/// A CPU architecture, named as `uname -m` names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arch {
    X86_64,
    /// 32-bit x86 (`i386`..`i686`).
    X86,
    Aarch64,
    /// 32-bit ARM (`armv7l`, `armv6l`, ...).
    Arm,
    /// Big-endian 64-bit POWER.
    PowerPc64,
    PowerPc64Le,
    S390x,
    Riscv64,
    LoongArch64,
    /// Anything else, as `uname -m` printed it or as the ELF header says (`ELF machine 8`).
    Other(String),
}

impl Arch {
    /// The architecture of an ELF file from its header: `e_machine`, class (64-bit or not) and
    /// byte order.
    pub fn from_elf(machine: u16, is_64: bool, big_endian: bool) -> Arch {
        match (machine, is_64, big_endian) {
            (elf::EM_X86_64, true, false) => Arch::X86_64,
            (elf::EM_386, false, false) => Arch::X86,
            (elf::EM_AARCH64, true, false) => Arch::Aarch64,
            (elf::EM_ARM, false, false) => Arch::Arm,
            (elf::EM_PPC64, true, true) => Arch::PowerPc64,
            (elf::EM_PPC64, true, false) => Arch::PowerPc64Le,
            (elf::EM_S390, true, true) => Arch::S390x,
            (elf::EM_RISCV, true, false) => Arch::Riscv64,
            (elf::EM_LOONGARCH, true, false) => Arch::LoongArch64,
            _ => Arch::Other(format!(
                "ELF machine {machine} ({}-bit, {}-endian)",
                if is_64 { 64 } else { 32 },
                if big_endian { "big" } else { "little" }
            )),
        }
    }

    /// The architecture `uname -m` printed.
    pub fn from_uname(machine: &str) -> Arch {
        match machine {
            "x86_64" | "amd64" => Arch::X86_64,
            "i386" | "i486" | "i586" | "i686" => Arch::X86,
            "aarch64" | "arm64" => Arch::Aarch64,
            "ppc64" => Arch::PowerPc64,
            "ppc64le" => Arch::PowerPc64Le,
            "s390x" => Arch::S390x,
            "riscv64" => Arch::Riscv64,
            "loongarch64" => Arch::LoongArch64,
            m if m.starts_with("arm") => Arch::Arm,
            m => Arch::Other(m.to_string()),
        }
    }

    /// The Rust target of a static (musl) rmqctl for this architecture, if Rust has one.
    pub fn musl_target(&self) -> Option<&'static str> {
        Some(match self {
            Arch::X86_64 => "x86_64-unknown-linux-musl",
            Arch::X86 => "i686-unknown-linux-musl",
            Arch::Aarch64 => "aarch64-unknown-linux-musl",
            Arch::Arm => "armv7-unknown-linux-musleabihf",
            Arch::PowerPc64 => "powerpc64-unknown-linux-musl",
            Arch::PowerPc64Le => "powerpc64le-unknown-linux-musl",
            Arch::S390x => "s390x-unknown-linux-musl",
            Arch::Riscv64 => "riscv64gc-unknown-linux-musl",
            Arch::LoongArch64 => "loongarch64-unknown-linux-musl",
            Arch::Other(_) => return None,
        })
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::X86_64 => "x86_64",
            Arch::X86 => "i686",
            Arch::Aarch64 => "aarch64",
            Arch::Arm => "arm",
            Arch::PowerPc64 => "ppc64",
            Arch::PowerPc64Le => "ppc64le",
            Arch::S390x => "s390x",
            Arch::Riscv64 => "riscv64",
            Arch::LoongArch64 => "loongarch64",
            Arch::Other(name) => name,
        })
    }
}

/// How an executable is linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linkage {
    /// No program interpreter (PT_INTERP): it needs no shared library and runs on any Linux kernel
    /// of its architecture.
    Static,
    /// Started by the dynamic loader `interpreter` (`/lib64/ld-linux-x86-64.so.2`,
    /// `/lib/ld-musl-x86_64.so.1`). `glibc` is the highest `GLIBC_x.y` symbol version it needs
    /// (from `.gnu.version_r`), `None` when it needs none or the file has no section headers.
    Dynamic {
        interpreter: String,
        glibc: Option<GlibcVersion>,
    },
}

/// What `deploy` needs to know about an executable before it uploads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryFacts {
    pub path: PathBuf,
    pub arch: Arch,
    pub linkage: Linkage,
}

/// An executable could not be read or is not a usable ELF file.
#[derive(Debug, thiserror::Error)]
pub enum BinaryError {
    #[error("cannot read the executable {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not an ELF executable (rmqctl uploads Linux binaries only)", path.display())]
    NotElf { path: PathBuf },
    #[error("{} is a malformed ELF file: {source}", path.display())]
    Malformed {
        path: PathBuf,
        source: object::read::Error,
    },
}

impl BinaryFacts {
    /// Read the ELF facts of the executable at `path`.
    pub fn read(path: &Path) -> Result<BinaryFacts, BinaryError> {
        let data = std::fs::read(path).map_err(|source| BinaryError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        BinaryFacts::parse(path, &data)
    }

    /// The ELF facts of an executable already read into memory (`path` names it in errors).
    pub fn parse(path: &Path, data: &[u8]) -> Result<BinaryFacts, BinaryError> {
        let malformed = |source| BinaryError::Malformed {
            path: path.to_path_buf(),
            source,
        };
        let (arch, linkage) = match FileKind::parse(data) {
            Ok(FileKind::Elf64) => {
                elf_facts::<elf::FileHeader64<Endianness>>(data).map_err(malformed)?
            }
            Ok(FileKind::Elf32) => {
                elf_facts::<elf::FileHeader32<Endianness>>(data).map_err(malformed)?
            }
            _ => {
                return Err(BinaryError::NotElf {
                    path: path.to_path_buf(),
                })
            }
        };
        Ok(BinaryFacts {
            path: path.to_path_buf(),
            arch,
            linkage,
        })
    }

    pub fn is_static(&self) -> bool {
        self.linkage == Linkage::Static
    }

    /// `x86_64, static` or `x86_64, dynamic, needs GLIBC_2.34`, for reports.
    pub fn describe(&self) -> String {
        match &self.linkage {
            Linkage::Static => format!("{}, static", self.arch),
            Linkage::Dynamic {
                glibc: Some(version),
                ..
            } => format!("{}, dynamic, needs GLIBC_{version}", self.arch),
            Linkage::Dynamic { interpreter, .. } => {
                format!("{}, dynamic ({interpreter})", self.arch)
            }
        }
    }
}

/// Architecture and linkage of an ELF file of header type `Elf`.
fn elf_facts<Elf: FileHeader<Endian = Endianness>>(
    data: &[u8],
) -> object::read::Result<(Arch, Linkage)> {
    let header = Elf::parse(data)?;
    let endian = header.endian()?;
    let arch = Arch::from_elf(
        header.e_machine(endian),
        header.is_class_64(),
        header.is_big_endian(),
    );
    let mut interpreter = None;
    for segment in header.program_headers(endian, data)? {
        if let Some(path) = segment.interpreter(endian, data)? {
            interpreter = Some(String::from_utf8_lossy(path).into_owned());
        }
    }
    let linkage = match interpreter {
        None => Linkage::Static,
        Some(interpreter) => Linkage::Dynamic {
            interpreter,
            glibc: highest_glibc_needed(header, endian, data)?,
        },
    };
    Ok((arch, linkage))
}

/// The highest `GLIBC_x.y` among the version needs (`.gnu.version_r`) of any library.
fn highest_glibc_needed<Elf: FileHeader<Endian = Endianness>>(
    header: &Elf,
    endian: Endianness,
    data: &[u8],
) -> object::read::Result<Option<GlibcVersion>> {
    let sections = header.sections(endian, data)?;
    let Some((mut needs, strings_index)) = sections.gnu_verneed(endian, data)? else {
        return Ok(None);
    };
    let strings = sections.strings(endian, data, strings_index)?;
    let mut highest = None;
    while let Some((_library, mut versions)) = needs.next()? {
        while let Some(version) = versions.next()? {
            let name = String::from_utf8_lossy(version.name(endian, strings)?);
            highest = highest.max(GlibcVersion::from_symbol_version(&name));
        }
    }
    Ok(highest)
}

/// The C library of a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostLibc {
    Glibc(GlibcVersion),
    /// musl (Alpine and the like): no glibc at all.
    Musl,
    /// Neither could be told; holds what the host printed (maybe nothing).
    Unknown(String),
}

/// What `deploy` needs to know about a host to tell whether it can run a binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFacts {
    /// The host's name in the inventory (used in messages only).
    pub host: String,
    /// Kernel name, `uname -s` (`Linux`).
    pub os: String,
    pub arch: Arch,
    pub libc: HostLibc,
}

impl HostFacts {
    /// The facts of `host` from what inspection read: `uname -s`, `uname -m` and the line
    /// [`LIBC_PROBE`] printed.
    pub fn from_probe(host: &str, os: &str, machine: &str, libc_line: &str) -> HostFacts {
        HostFacts {
            host: host.to_string(),
            os: os.to_string(),
            arch: Arch::from_uname(machine),
            libc: HostLibc::parse(libc_line),
        }
    }
}

impl HostLibc {
    /// The C library from the line [`LIBC_PROBE`] printed: `glibc 2.17` (getconf),
    /// `ldd (GNU libc) 2.17` / `ldd (Debian GLIBC 2.36-9+deb12u4) 2.36` (glibc's ldd: the version
    /// is the last word) or `musl libc (x86_64)` (musl's ldd); anything else is `Unknown`.
    pub fn parse(line: &str) -> HostLibc {
        let line = line.trim();
        let version = if let Some(version) = line.strip_prefix("glibc ") {
            version.trim().parse().ok()
        } else if line.starts_with("ldd ") && (line.contains("GLIBC") || line.contains("GNU libc"))
        {
            line.split_whitespace().last().and_then(|v| v.parse().ok())
        } else {
            None
        };
        match version {
            Some(version) => HostLibc::Glibc(version),
            None if line.starts_with("musl") => HostLibc::Musl,
            None => HostLibc::Unknown(line.to_string()),
        }
    }
}

/// Why a host cannot run a binary; each message says which binary to use instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Incompatibility {
    #[error(
        "{host} runs {os} but {} is a Linux executable: rmqctl deploys to Linux hosts only",
        binary.display()
    )]
    NotLinux {
        host: String,
        os: String,
        binary: PathBuf,
    },
    #[error(
        "{host} is {host_arch} but {} is {binary_arch}: build for {host_arch}{} and pass it with \
         --binary (or the inventory's `binary` key)",
        binary.display(),
        build_command(host_arch)
    )]
    Architecture {
        host: String,
        host_arch: Arch,
        binary: PathBuf,
        binary_arch: Arch,
    },
    #[error(
        "{host} has glibc {have} but {} needs GLIBC_{needs}: {}",
        binary.display(),
        use_static_build(arch)
    )]
    GlibcTooOld {
        host: String,
        have: GlibcVersion,
        binary: PathBuf,
        needs: GlibcVersion,
        arch: Arch,
    },
    #[error(
        "{host} has musl libc, no glibc, but {} is linked against glibc{}: {}",
        binary.display(),
        needs.map(|v| format!(" (needs GLIBC_{v})")).unwrap_or_default(),
        use_static_build(arch)
    )]
    NoGlibc {
        host: String,
        binary: PathBuf,
        needs: Option<GlibcVersion>,
        arch: Arch,
    },
    #[error(
        "{host} has no musl libc but {} needs musl's dynamic loader {interpreter}: {}",
        binary.display(),
        use_static_build(arch)
    )]
    NoMusl {
        host: String,
        binary: PathBuf,
        interpreter: String,
        arch: Arch,
    },
    #[error(
        "cannot tell which C library {host} has (`{LIBC_PROBE}` printed \
         {printed:?}) and {} is dynamically linked: {}",
        binary.display(),
        use_static_build(arch)
    )]
    UnknownLibc {
        host: String,
        printed: String,
        binary: PathBuf,
        arch: Arch,
    },
}

/// ` (`cargo build --release --target T`)` for an architecture Rust has a musl target for.
fn build_command(arch: &Arch) -> String {
    match arch.musl_target() {
        Some(target) => format!(" (`cargo build --release --target {target}`)"),
        None => String::new(),
    }
}

/// The advice for a host whose C library does not fit a dynamic binary.
fn use_static_build(arch: &Arch) -> String {
    match arch.musl_target() {
        Some(target @ "x86_64-unknown-linux-musl") => format!(
            "use the static build (`cargo static-build`, target/{target}/release/rmqctl) or pass \
             --binary"
        ),
        Some(target) => format!(
            "use a static build (`cargo build --release --target {target}`, \
             target/{target}/release/rmqctl) or pass --binary"
        ),
        None => "pass a static build with --binary".to_string(),
    }
}

/// Whether `host` can run `binary`: a Linux host of the binary's architecture, and for a
/// dynamic binary the C library it was linked against, new enough. A static binary of the
/// right architecture runs anywhere.
pub fn check(binary: &BinaryFacts, host: &HostFacts) -> Result<(), Incompatibility> {
    if host.os != "Linux" {
        return Err(Incompatibility::NotLinux {
            host: host.host.clone(),
            os: host.os.clone(),
            binary: binary.path.clone(),
        });
    }
    if host.arch != binary.arch {
        return Err(Incompatibility::Architecture {
            host: host.host.clone(),
            host_arch: host.arch.clone(),
            binary: binary.path.clone(),
            binary_arch: binary.arch.clone(),
        });
    }
    let Linkage::Dynamic { interpreter, glibc } = &binary.linkage else {
        return Ok(());
    };
    let arch = binary.arch.clone();
    let binary = binary.path.clone();
    let host_name = host.host.clone();
    if interpreter.contains("ld-musl") {
        return match host.libc {
            HostLibc::Musl => Ok(()),
            _ => Err(Incompatibility::NoMusl {
                host: host_name,
                binary,
                interpreter: interpreter.clone(),
                arch,
            }),
        };
    }
    match &host.libc {
        HostLibc::Glibc(have) => match glibc {
            Some(needs) if needs > have => Err(Incompatibility::GlibcTooOld {
                host: host_name,
                have: *have,
                binary,
                needs: *needs,
                arch,
            }),
            _ => Ok(()),
        },
        HostLibc::Musl => Err(Incompatibility::NoGlibc {
            host: host_name,
            binary,
            needs: *glibc,
            arch,
        }),
        HostLibc::Unknown(printed) => Err(Incompatibility::UnknownLibc {
            host: host_name,
            printed: printed.clone(),
            binary,
            arch,
        }),
    }
}

/// The executable `deploy` uploads:
/// 1. `explicit` (`--binary PATH` or the inventory's `binary` key), if it is an ELF file;
/// 2. else `current_exe` (the running rmqctl) if it is static;
/// 3. else `<dir>/rmqctl-static` beside it, if that is a static build of the same architecture
///    (the installed layout: both binaries side by side);
/// 4. else, when `current_exe` is `<target>/<profile>/rmqctl` in a cargo target directory, the
///    first static build of the same architecture among `<target>/<musl target>/<profile>/rmqctl`,
///    `.../release/rmqctl`, `.../debug/rmqctl` that is not older than `current_exe` (an older one
///    is likely built from other sources);
/// 5. else `current_exe`: the preflight [`check`] then refuses the hosts it cannot run on.
pub fn choose_upload_binary(
    current_exe: &Path,
    explicit: Option<&Path>,
) -> Result<PathBuf, BinaryError> {
    if let Some(path) = explicit {
        BinaryFacts::read(path)?;
        return Ok(path.to_path_buf());
    }
    let current = BinaryFacts::read(current_exe)?;
    if current.is_static() {
        return Ok(current_exe.to_path_buf());
    }
    let is_static_build = |path: &Path| {
        BinaryFacts::read(path).is_ok_and(|facts| facts.is_static() && facts.arch == current.arch)
    };
    if let Some(sibling) = current_exe
        .parent()
        .map(|dir| dir.join(STATIC_SIBLING_NAME))
    {
        if is_static_build(&sibling) {
            return Ok(sibling);
        }
    }
    let current_modified = modified(current_exe);
    let fresh_cargo_build = cargo_static_builds(current_exe, &current.arch)
        .into_iter()
        .find(|candidate| modified(candidate) >= current_modified && is_static_build(candidate));
    Ok(fresh_cargo_build.unwrap_or_else(|| current_exe.to_path_buf()))
}

/// Where cargo puts a static build of `current_exe` when that is `<target>/<profile>/rmqctl`, in
/// the order they are tried.
fn cargo_static_builds(current_exe: &Path, arch: &Arch) -> Vec<PathBuf> {
    let dir = current_exe.parent();
    let (Some(target_dir), Some(profile), Some(triple), Some(file_name)) = (
        dir.and_then(Path::parent),
        dir.and_then(Path::file_name),
        arch.musl_target(),
        current_exe.file_name(),
    ) else {
        return Vec::new();
    };
    let musl_dir = target_dir.join(triple);
    let mut candidates: Vec<PathBuf> = Vec::new();
    for profile in [profile, "release".as_ref(), "debug".as_ref()] {
        let candidate = musl_dir.join(profile).join(file_name);
        if !candidates.contains(&candidate) {
            candidates.push(candidate);
        }
    }
    candidates
}

/// A file's modification time; `None` (older than any time) when it cannot be read.
fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CENTOS7: &str = "Linux x86_64\nglibc 2.17\n";

    fn glibc_binary(needs: GlibcVersion) -> BinaryFacts {
        BinaryFacts {
            path: PathBuf::from("/build/rmqctl"),
            arch: Arch::X86_64,
            linkage: Linkage::Dynamic {
                interpreter: "/lib64/ld-linux-x86-64.so.2".into(),
                glibc: Some(needs),
            },
        }
    }

    fn static_binary(arch: Arch) -> BinaryFacts {
        BinaryFacts {
            path: PathBuf::from("/build/rmqctl-static"),
            arch,
            linkage: Linkage::Static,
        }
    }

    /// master-a's facts from `uname -sm` and the libc probe's line, as inspection reads them.
    fn host(output: &str) -> HostFacts {
        let mut lines = output.lines();
        let uname: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        HostFacts::from_probe("master-a", uname[0], uname[1], lines.next().unwrap_or(""))
    }

    #[test]
    fn glibc_versions_parse_and_order_numerically() {
        let v = |s: &str| s.parse::<GlibcVersion>().unwrap();
        assert_eq!(v("2.17"), GlibcVersion::new(2, 17, 0));
        assert_eq!(v("2.2.5"), GlibcVersion::new(2, 2, 5));
        assert!(v("2.2.5") < v("2.17"));
        assert!(v("2.17") < v("2.34"));
        assert_eq!(v("2.2.5").to_string(), "2.2.5");
        assert_eq!(v("2.34").to_string(), "2.34");
        for bad in ["", "2", "2.x", "2.17.1.1", "2.36-9"] {
            assert!(bad.parse::<GlibcVersion>().is_err(), "{bad:?}");
        }
        assert_eq!(
            GlibcVersion::from_symbol_version("GLIBC_2.34"),
            Some(v("2.34"))
        );
        assert_eq!(GlibcVersion::from_symbol_version("GLIBC_PRIVATE"), None);
        assert_eq!(GlibcVersion::from_symbol_version("GCC_3.0"), None);
    }

    #[test]
    fn host_facts_from_getconf_ldd_and_musl_outputs() {
        let debian = host("Linux x86_64\nglibc 2.36\n");
        assert_eq!(debian.os, "Linux");
        assert_eq!(debian.arch, Arch::X86_64);
        assert_eq!(debian.libc, HostLibc::Glibc(GlibcVersion::new(2, 36, 0)));

        let ubuntu_ldd = host("Linux aarch64\nldd (Ubuntu GLIBC 2.35-0ubuntu3.8) 2.35\n");
        assert_eq!(ubuntu_ldd.arch, Arch::Aarch64);
        assert_eq!(
            ubuntu_ldd.libc,
            HostLibc::Glibc(GlibcVersion::new(2, 35, 0))
        );
        let centos6_ldd = host("Linux x86_64\nldd (GNU libc) 2.12\n");
        assert_eq!(
            centos6_ldd.libc,
            HostLibc::Glibc(GlibcVersion::new(2, 12, 0))
        );

        let alpine = host("Linux x86_64\nmusl libc (x86_64)\n");
        assert_eq!(alpine.libc, HostLibc::Musl);

        let bare = host("Linux armv7l\n");
        assert_eq!(bare.arch, Arch::Arm);
        assert_eq!(bare.libc, HostLibc::Unknown(String::new()));
    }

    #[test]
    fn wrong_architecture_is_refused_with_the_target_to_build() {
        let err = check(
            &glibc_binary(GlibcVersion::new(2, 17, 0)),
            &host("Linux aarch64\nglibc 2.36\n"),
        )
        .unwrap_err();
        assert!(matches!(err, Incompatibility::Architecture { .. }));
        assert_eq!(
            err.to_string(),
            "master-a is aarch64 but /build/rmqctl is x86_64: build for aarch64 (`cargo build \
             --release --target aarch64-unknown-linux-musl`) and pass it with --binary (or the \
             inventory's `binary` key)"
        );
        let static_x86 = static_binary(Arch::X86_64);
        assert!(check(&static_x86, &host("Linux aarch64\nglibc 2.36\n")).is_err());
    }

    #[test]
    fn too_new_a_glibc_is_refused_with_the_static_build_named() {
        let err = check(&glibc_binary(GlibcVersion::new(2, 34, 0)), &host(CENTOS7)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "master-a has glibc 2.17 but /build/rmqctl needs GLIBC_2.34: use the static build \
             (`cargo static-build`, target/x86_64-unknown-linux-musl/release/rmqctl) or pass \
             --binary"
        );
    }

    #[test]
    fn glibc_binary_runs_where_glibc_is_as_new_or_newer() {
        let binary = glibc_binary(GlibcVersion::new(2, 17, 0));
        assert_eq!(check(&binary, &host(CENTOS7)), Ok(()));
        assert_eq!(check(&binary, &host("Linux x86_64\nglibc 2.36\n")), Ok(()));
    }

    #[test]
    fn glibc_binary_on_a_musl_host_is_refused() {
        let err = check(
            &glibc_binary(GlibcVersion::new(2, 2, 5)),
            &host("Linux x86_64\nmusl libc (x86_64)\n"),
        )
        .unwrap_err();
        assert!(matches!(err, Incompatibility::NoGlibc { .. }), "{err:?}");
        assert!(err.to_string().contains("needs GLIBC_2.2.5"), "{err}");
        assert!(err.to_string().contains("cargo static-build"), "{err}");
    }

    #[test]
    fn glibc_binary_on_a_host_with_unknown_libc_is_refused() {
        let err = check(
            &glibc_binary(GlibcVersion::new(2, 2, 5)),
            &host("Linux x86_64\nsomething else\n"),
        )
        .unwrap_err();
        assert!(
            matches!(err, Incompatibility::UnknownLibc { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("\"something else\""), "{err}");
    }

    #[test]
    fn musl_dynamic_binary_needs_a_musl_host() {
        let binary = BinaryFacts {
            path: PathBuf::from("/build/rmqctl"),
            arch: Arch::X86_64,
            linkage: Linkage::Dynamic {
                interpreter: "/lib/ld-musl-x86_64.so.1".into(),
                glibc: None,
            },
        };
        assert_eq!(
            check(&binary, &host("Linux x86_64\nmusl libc (x86_64)\n")),
            Ok(())
        );
        let err = check(&binary, &host(CENTOS7)).unwrap_err();
        assert!(matches!(err, Incompatibility::NoMusl { .. }), "{err:?}");
    }

    #[test]
    fn static_binary_of_the_right_architecture_runs_anywhere() {
        let binary = static_binary(Arch::X86_64);
        for output in [
            CENTOS7,
            "Linux x86_64\nglibc 2.12\n",
            "Linux x86_64\nmusl libc (x86_64)\n",
            "Linux x86_64\n",
            "Linux x86_64\nwhatever\n",
        ] {
            assert_eq!(check(&binary, &host(output)), Ok(()), "{output:?}");
        }
    }

    #[test]
    fn non_linux_host_is_refused() {
        let err = check(&static_binary(Arch::X86_64), &host("FreeBSD amd64\n")).unwrap_err();
        assert!(matches!(err, Incompatibility::NotLinux { .. }), "{err:?}");
    }

    #[test]
    fn arch_names_round_trip_through_uname() {
        for arch in [
            Arch::X86_64,
            Arch::X86,
            Arch::Aarch64,
            Arch::PowerPc64,
            Arch::PowerPc64Le,
            Arch::S390x,
            Arch::Riscv64,
            Arch::LoongArch64,
        ] {
            assert_eq!(Arch::from_uname(&arch.to_string()), arch);
        }
        assert_eq!(Arch::from_elf(elf::EM_X86_64, true, false), Arch::X86_64);
        assert_eq!(Arch::from_elf(elf::EM_AARCH64, true, false), Arch::Aarch64);
    }

    /// The unit-test executable itself is a real glibc (dynamic) build.
    #[cfg(all(target_env = "gnu", target_arch = "x86_64"))]
    #[test]
    fn reads_the_facts_of_this_glibc_test_binary() {
        let exe = std::env::current_exe().unwrap();
        let facts = BinaryFacts::read(&exe).unwrap();
        assert_eq!(facts.arch, Arch::X86_64);
        let Linkage::Dynamic { interpreter, glibc } = &facts.linkage else {
            panic!("a glibc build is dynamic: {facts:?}");
        };
        assert!(interpreter.contains("ld-linux-x86-64"), "{interpreter}");
        assert!(
            glibc.is_some_and(|v| v >= GlibcVersion::new(2, 2, 5)),
            "{glibc:?}"
        );
    }

    #[test]
    fn reading_a_file_that_is_not_elf_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("rmqctl");
        std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
        let err = BinaryFacts::read(&script).unwrap_err();
        assert!(matches!(err, BinaryError::NotElf { .. }), "{err:?}");
        assert!(
            err.to_string().contains("is not an ELF executable"),
            "{err}"
        );
        let missing = BinaryFacts::read(&dir.path().join("missing")).unwrap_err();
        assert!(matches!(missing, BinaryError::Read { .. }), "{missing:?}");
        let err = choose_upload_binary(&script, Some(&dir.path().join("missing"))).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
    }
}
