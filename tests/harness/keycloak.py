"""A real Keycloak, run natively (no container engine) from its Maven Central distribution."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.harness.cache import cache_dir
from tests.harness.ports import free_port
from tests.harness.process import ServiceProcess, stop_pid

# The newest 26.x on Maven Central when chosen; it boots here on OpenJDK 17.0.15 and Temurin 25.0.3.
# Keycloak 26 supports the LTS JDKs 17, 21 and 25 (keycloak.org, "Supported Configurations").
KEYCLOAK_VERSION = "26.7.3"
JAVA_MIN_MAJOR = 17
JAVA_MAX_MAJOR = 25
JVM_ROOT = Path("/usr/lib/jvm")

# Build-time options: start-dev re-augments Quarkus when they change (20 s on JDK 25, 33 s on 17).
BUILD_OPTIONS = ("--db=dev-mem",)
# kc.sh's own default outside containers, set so that the caller's environment cannot change it.
JAVA_HEAP = "-Xms64m -Xmx512m"
HTTP_TIMEOUT = 30.0


class KeycloakError(RuntimeError):
    """Keycloak answered an HTTP call with an error; the message carries its body."""


def _version_root() -> Path:
    """Return the cache directory of KEYCLOAK_VERSION."""
    return cache_dir() / "keycloak" / KEYCLOAK_VERSION


def build_cache() -> Path:
    """Return where the Quarkus build is shared, named by the BUILD_OPTIONS it depends on."""
    return _version_root() / ("start-dev" + "".join(BUILD_OPTIONS))


def ensure_distribution() -> Path:
    """Fetch and unpack the distribution once; return the directory holding bin/kc.sh."""
    root = _version_root()
    dist = root / "dist"
    if (dist / "bin" / "kc.sh").is_file():
        return dist
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("mvn is not on PATH; it is needed once to fetch Keycloak")
    root.mkdir(parents=True, exist_ok=True)
    # All work happens in a scratch dir renamed into place, so no half cache is ever seen.
    scratch = Path(tempfile.mkdtemp(prefix=".partial-", dir=root))
    try:
        artifact = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:tar.gz"
        # -U retries even when ~/.m2 recorded an earlier failed attempt.
        argv = [mvn, "-B", "-q", "-U", "-Dstyle.color=never", "dependency:copy"]
        argv += [f"-Dartifact={artifact}", f"-DoutputDirectory={scratch}"]
        # The empty scratch dir as cwd keeps mvn from picking up some project's pom.
        result = subprocess.run(argv, cwd=scratch, capture_output=True, text=True, check=False)
        archives = list(scratch.glob("*.tar.gz"))
        if result.returncode != 0 or len(archives) != 1:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
            code = result.returncode
            raise RuntimeError(f"mvn could not fetch {artifact} (exit {code}):\n{tail}")
        with tarfile.open(archives[0]) as archive:
            archive.extractall(scratch / "unpacked", filter="data")
        (top,) = (scratch / "unpacked").iterdir()
        try:
            top.rename(dist)
        except OSError:
            # A concurrent fetch won the race; its copy is as good as ours.
            if not (dist / "bin" / "kc.sh").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return dist


def _java_major(home: Path) -> int | None:
    """Return the feature release of the Java runtime at ``home``, or None if there is none."""
    try:
        release = (home / "release").read_text()
    except OSError:
        return None
    match = re.search(r'^JAVA_VERSION="(\d+)(?:\.(\d+))?', release, re.MULTILINE)
    if match is None or not (home / "bin" / "java").is_file():
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java_home(min_major: int, max_major: int = JAVA_MAX_MAJOR) -> Path:
    """Return JAVA_HOME if it fits, else the newest fitting JDK under /usr/lib/jvm."""
    found: dict[Path, int | None] = {}
    configured = os.environ.get("JAVA_HOME")
    if configured:
        found[Path(configured)] = major = _java_major(Path(configured))
        if major is not None and min_major <= major <= max_major:
            return Path(configured)
    if JVM_ROOT.is_dir():
        for entry in sorted(JVM_ROOT.iterdir()):
            if entry.is_dir():
                home = entry.resolve()  # distro aliases are symlinks to the same JDK
                found.setdefault(home, _java_major(home))
    fitting = [(m, home) for home, m in found.items() if m and min_major <= m <= max_major]
    if not fitting:
        seen = ", ".join(f"{home} ({m or 'no JDK'})" for home, m in found.items()) or "none"
        raise RuntimeError(f"Keycloak needs Java {min_major} to {max_major}; found: {seen}")
    return max(fitting)[1]


class NativeKeycloak:
    """One Keycloak in dev mode on 127.0.0.1, from a private copy of the distribution."""

    def __init__(
        self,
        workdir: Path,
        port: int | None = None,
        admin_user: str = "admin",
        admin_password: str = "admin",  # noqa: S107 - the throwaway admin of a dev-mode server
        import_files: Sequence[Path] = (),
    ) -> None:
        # kc.sh runs with its cwd inside workdir, where a relative path would no longer hold.
        self.workdir = workdir.absolute()
        self.home = self.workdir / "keycloak"  # this instance's private copy of the distribution
        self.port = port if port is not None else free_port()
        self.admin_user = admin_user
        self.admin_password = admin_password
        self.import_files = tuple(import_files)
        self._process: ServiceProcess | None = None
        self._attached_pid: int | None = None

    @property
    def base_url(self) -> str:
        """Return the root URL, e.g. http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """Return the pid of kc.sh, the leader of Keycloak's process group."""
        if self._process is not None:
            return self._process.pid
        if self._attached_pid is None:
            raise RuntimeError("Keycloak was never started")
        return self._attached_pid

    def _prepare_home(self, dist: Path) -> None:
        """Make a private home, as start-dev writes lib/quarkus and data/ into its install dir."""
        shutil.rmtree(self.home, ignore_errors=True)
        lib = dist / "lib"

        def skip_jars(directory: str, _names: list[str]) -> list[str]:
            # lib/lib (168 MB of jars) is only read, so it is linked; the rest is 19 MB.
            return ["lib"] if Path(directory) == lib else []

        shutil.copytree(dist, self.home, symlinks=True, ignore=skip_jars)
        (self.home / "lib" / "lib").symlink_to(lib / "lib", target_is_directory=True)
        if build_cache().is_dir():
            # A build published by an earlier instance spares the Quarkus re-augmentation.
            shutil.rmtree(self.home / "lib" / "quarkus")
            shutil.copytree(build_cache(), self.home / "lib" / "quarkus")
        if self.import_files:
            (self.home / "data" / "import").mkdir(parents=True)
            for path in self.import_files:
                shutil.copy2(path, self.home / "data" / "import" / path.name)

    def _publish_build(self) -> None:
        """Share this instance's lib/quarkus, renamed into place so no one sees half of it."""
        if build_cache().is_dir():
            return
        scratch = Path(tempfile.mkdtemp(prefix=".partial-", dir=_version_root()))
        try:
            shutil.copytree(self.home / "lib" / "quarkus", scratch / "quarkus")
            (scratch / "quarkus").rename(build_cache())
        except OSError:
            pass  # another instance published first: nothing is lost
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def command(self) -> list[str]:
        """Return the kc.sh command line of this instance."""
        argv = [str(self.home / "bin" / "kc.sh"), "start-dev", *BUILD_OPTIONS]
        argv += ["--http-host=127.0.0.1", f"--http-port={self.port}", "--hostname-strict=false"]
        # Health stays off: it would open a management port, 9000 for every instance.
        return [*argv, "--import-realm"] if self.import_files else argv

    def start(self, timeout: float = 180.0) -> None:
        """Start Keycloak and wait for its master realm; raise ServiceStartError if it fails."""
        dist = ensure_distribution()
        java_home = find_java_home(JAVA_MIN_MAJOR)
        self._prepare_home(dist)
        env = {
            "JAVA_HOME": str(java_home),
            "JAVA": str(java_home / "bin" / "java"),
            "JAVA_OPTS": "",  # empty: kc.sh's defaults, whatever the caller's shell exports
            "JAVA_OPTS_KC_HEAP": JAVA_HEAP,
            "KC_BOOTSTRAP_ADMIN_USERNAME": self.admin_user,
            "KC_BOOTSTRAP_ADMIN_PASSWORD": self.admin_password,
        }
        # kc.sh leads a new session; the java it forks (or execs after re-augmenting) stays in
        # that process group, so stop_pid(pid) in a later `down` command ends both.
        log = self.workdir / "keycloak.log"
        self._process = ServiceProcess("keycloak", self.command(), log, env, self.home)
        self._process.start()
        self._process.wait_ready(self._ready, timeout)
        self._publish_build()

    def _ready(self) -> bool:
        """Tell whether the master realm answers, i.e. the bootstrap has finished."""
        url = f"{self.base_url}/realms/master/.well-known/openid-configuration"
        return httpx.get(url, timeout=2.0).status_code == 200

    def stop(self) -> None:
        """Stop Keycloak: SIGTERM to its process group, SIGKILL if it lingers."""
        if self._process is not None:
            self._process.stop()
        elif self._attached_pid is not None:
            stop_pid(self._attached_pid)

    def admin_token(self) -> str:
        """Return a master realm admin access token (admin-cli password grant)."""
        token = self.password_token("master", "admin-cli", self.admin_user, self.admin_password)
        return str(token["access_token"])

    def import_realm(self, realm: dict[str, object]) -> None:
        """Create a realm from its full representation, replacing one of the same name."""
        name = str(realm["realm"])
        headers = {"Authorization": f"Bearer {self.admin_token()}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=HTTP_TIMEOUT) as client:
            if client.get(f"/admin/realms/{name}").status_code == 200:
                _check(client.delete(f"/admin/realms/{name}"), f"delete realm {name}")
            _check(client.post("/admin/realms", json=realm), f"create realm {name}")

    def password_token(
        self,
        realm: str,
        client_id: str,
        username: str,
        password: str,
        client_secret: str | None = None,
    ) -> dict[str, object]:
        """Return the token endpoint's JSON for a resource owner password grant."""
        form = {"grant_type": "password", "client_id": client_id}
        form |= {"username": username, "password": password}
        if client_secret is not None:
            form["client_secret"] = client_secret
        url = f"{self.base_url}/realms/{realm}/protocol/openid-connect/token"
        response = httpx.post(url, data=form, timeout=HTTP_TIMEOUT)
        body: dict[str, object] = _check(response, f"grant a token to {username}").json()
        return body


def _check(response: httpx.Response, action: str) -> httpx.Response:
    """Return ``response`` if it succeeded, else raise KeycloakError with Keycloak's body."""
    if response.is_success:
        return response
    raise KeycloakError(f"Keycloak refused to {action}: {response.status_code} {response.text}")


def attach(
    base_url: str,
    pid: int,
    workdir: Path,
    admin_user: str = "admin",
    admin_password: str = "admin",  # noqa: S107 - the throwaway admin of a dev-mode server
) -> NativeKeycloak:
    """Return a handle on a Keycloak that an earlier command started, e.g. to stop it."""
    port = urlsplit(base_url).port
    if port is None:
        raise ValueError(f"{base_url} names no port")
    keycloak = NativeKeycloak(workdir, port, admin_user, admin_password)
    keycloak._attached_pid = pid
    return keycloak
