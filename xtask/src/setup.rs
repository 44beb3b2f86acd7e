//! `cargo xtask setup`: installs what a fresh Debian machine of this kind lacks. Idempotent,
//! no prompts, nothing downloaded from outside the package registries.

use crate::shell::{cargo, cargo_home, exec, output, root};
use std::path::Path;
use std::process::Command;

/// trunk 0.22 needs a newer rustc than the machine's 1.95.
const TRUNK_VERSION: &str = "0.21.14";

pub fn run() -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    twiggy()?;
    wasm_bindgen_cli()?;
    chromium()?;
    bench_tools()?;
    npm_packages()?;
    python_venv()?;
    Ok(())
}

fn step(what: &str) {
    println!("setup: {what}");
}

fn wasm_target() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step("adding the wasm32-unknown-unknown target");
    exec(
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        "rustup target add wasm32-unknown-unknown",
    )
}

fn trunk() -> Result<(), String> {
    let bin = cargo_home().join("bin/trunk");
    let have = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if have.trim() == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    step(&format!(
        "installing trunk {TRUNK_VERSION} from crates.io (about 12 minutes)"
    ));
    exec(
        cargo().args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--force",
        ]),
        "cargo install trunk",
    )
}

/// twiggy, the wasm size profiler `cargo xtask bench size` reports with.
const TWIGGY_VERSION: &str = "0.8.0";

fn twiggy() -> Result<(), String> {
    let bin = cargo_home().join("bin/twiggy");
    let have = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    // It calls itself `twiggy-opt 0.8.0`.
    if have.split_whitespace().nth(1) == Some(TWIGGY_VERSION) {
        return Ok(());
    }
    step(&format!(
        "installing twiggy {TWIGGY_VERSION} from crates.io (about 3 minutes)"
    ));
    exec(
        cargo().args([
            "install",
            "twiggy",
            "--version",
            TWIGGY_VERSION,
            "--locked",
            "--force",
        ]),
        "cargo install twiggy",
    )
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen: run `cargo generate-lockfile`".into())
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let want = locked_wasm_bindgen()?;
    let bin = cargo_home().join("bin/wasm-bindgen");
    let runner = cargo_home().join("bin/wasm-bindgen-test-runner");
    let have = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) && runner.exists() {
        return check_trunk_toml(&want);
    }
    step(&format!(
        "installing wasm-bindgen-cli {want} (the version in Cargo.lock; about 6 minutes)"
    ));
    // `cargo install --locked wasm-bindgen-cli` fails here: its lock pins webpki-roots 1.0.11,
    // which the registry does not serve. Fetch the crate's source through a throwaway package,
    // re-pin webpki-roots, and install from the path.
    let work = std::env::temp_dir().join(format!("xtask-wasm-bindgen-{want}"));
    let _ = std::fs::remove_dir_all(&work);
    let fetcher = work.join("fetch");
    std::fs::create_dir_all(fetcher.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(
        fetcher.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nwasm-bindgen-cli = \"={want}\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(fetcher.join("src/main.rs"), "fn main() {}\n").map_err(|e| e.to_string())?;
    exec(
        Command::new("cargo")
            .args(["fetch", "--manifest-path"])
            .arg(fetcher.join("Cargo.toml")),
        "cargo fetch wasm-bindgen-cli",
    )?;
    let source = find_registry_source(&format!("wasm-bindgen-cli-{want}"))
        .ok_or("wasm-bindgen-cli's source was fetched but cannot be found in ~/.cargo/registry")?;
    let build = work.join("src");
    copy_dir(&source, &build).map_err(|e| format!("copying wasm-bindgen-cli: {e}"))?;
    let lock = std::fs::read_to_string(build.join("Cargo.lock")).unwrap_or_default();
    if lock.contains("name = \"webpki-roots\"\nversion = \"1.0.11\"") {
        exec(
            Command::new("cargo")
                .args(["update", "-p", "webpki-roots@1.0.11", "--precise", "1.0.10"])
                .current_dir(&build),
            "re-pinning webpki-roots for wasm-bindgen-cli",
        )?;
    }
    exec(
        Command::new("cargo")
            .args(["install", "--path", ".", "--locked", "--force"])
            .current_dir(&build),
        "cargo install wasm-bindgen-cli",
    )?;
    let _ = std::fs::remove_dir_all(&work);
    check_trunk_toml(&want)
}

/// Trunk.toml pins the tool versions; a mismatch would make trunk try to download its own.
fn check_trunk_toml(wasm_bindgen: &str) -> Result<(), String> {
    let toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap_or_default();
    if toml.contains(&format!("wasm_bindgen = \"{wasm_bindgen}\"")) {
        Ok(())
    } else {
        Err(format!(
            "Cargo.lock resolves wasm-bindgen {wasm_bindgen} but Trunk.toml's [tools] pins another \
             version. Set `wasm_bindgen = \"{wasm_bindgen}\"` in Trunk.toml (the installed CLI \
             follows Cargo.lock)."
        ))
    }
}

fn find_registry_source(dir_name: &str) -> Option<std::path::PathBuf> {
    let src = cargo_home().join("registry/src");
    std::fs::read_dir(src)
        .ok()?
        .filter_map(Result::ok)
        .map(|index| index.path().join(dir_name))
        .find(|p| p.join("Cargo.toml").exists())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    step("installing Debian's chromium and chromium-driver");
    exec(
        Command::new("apt-get").args(["update", "-qq"]),
        "apt-get update",
    )?;
    exec(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install chromium chromium-driver",
    )
}

/// nginx and wrk, for `cargo xtask bench proxy`: Debian's. The benchmark runs an nginx of
/// its own (its config, as this user, in a temporary directory), never the system service,
/// which the package may or may not start.
fn bench_tools() -> Result<(), String> {
    if Path::new("/usr/sbin/nginx").exists() && Path::new("/usr/bin/wrk").exists() {
        return Ok(());
    }
    step("installing Debian's nginx and wrk (for `bench proxy`)");
    exec(
        Command::new("apt-get").args(["update", "-qq"]),
        "apt-get update",
    )?;
    // The bench runs an nginx of its own; the package's service must not start (it would
    // listen on port 80 of every address): Debian's policy-rc.d says no while installing.
    let policy = Path::new("/usr/sbin/policy-rc.d");
    let ours = !policy.exists()
        && std::fs::write(policy, "#!/bin/sh\n# cargo xtask setup: no service starts while nginx is installed\nexit 101\n").is_ok();
    if ours {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(policy, std::fs::Permissions::from_mode(0o755));
    }
    let installed = exec(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "nginx", "wrk"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install nginx wrk",
    );
    if ours {
        let _ = std::fs::remove_file(policy);
    }
    // Nor at the next boot.
    if Path::new("/usr/bin/systemctl").exists() || Path::new("/bin/systemctl").exists() {
        let _ = Command::new("systemctl")
            .args(["disable", "--now", "nginx"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    installed
}

/// e2e's npm packages (Playwright's test runner without its browser download, axe-core, and
/// binaryen's wasm-opt), from the committed package-lock.json.
fn npm_packages() -> Result<(), String> {
    let e2e = root().join("e2e");
    let lock = e2e.join("package-lock.json");
    let stamp = e2e.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    step("installing e2e npm packages (npm ci)");
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&e2e),
        "npm ci in e2e/",
    )
}

/// A venv with the official Python SDK, for the simulator's conformance tests.
fn python_venv() -> Result<(), String> {
    let venv = root().join(".venv");
    let requirements = root().join("crates/sim/conformance/requirements.txt");
    if !requirements.exists() {
        return Ok(());
    }
    let stamp = venv.join(".requirements");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| e.to_string())?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    step("making the Python venv for the conformance tests (.venv)");
    if !venv.join("bin/python").exists() {
        exec(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv .venv",
        )?;
    }
    exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
        "pip install the conformance requirements",
    )?;
    std::fs::write(stamp, wanted).map_err(|e| e.to_string())
}
