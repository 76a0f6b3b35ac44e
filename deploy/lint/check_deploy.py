"""Structural checks of the deployment files that no generic linter knows about.

Run by scripts/lint-deploy.sh (from the repository root, with the .venv/lint interpreter):
    python deploy/lint/check_deploy.py
Prints one line per finding and exits 1 if there is any. Needs PyYAML only; no Docker.

What it checks:
- docker-compose.yml and deploy/docker-compose.gpu.yml: every build names an existing
  Dockerfile and stage; depends_on points at services that exist, and `service_healthy` at
  services with a health check (in the Compose file or the image's HEALTHCHECK); named volumes
  are declared; bind-mounted files exist; Redis keeps AOF on with noeviction; the Chroma image
  matches tools/chroma/requirements.txt; the embedders are replicated; each service's port
  variable agrees with the Dockerfile's EXPOSE and with Prometheus' scrape targets.
- Dockerfiles: each service stage runs `node dist/services/<svc>/src/main.js` of a service
  that exists, as a non-root numeric user, under tini, with a HEALTHCHECK on /health/live.
- Prometheus and Grafana provisioning parse; the dashboard uses the provisioned datasource.
- deploy/.env.example lists every variable the services read (their config schemas) and every
  ${VARIABLE} the Compose files interpolate; secrets have no value.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
GPU_OVERRIDE = ROOT / "deploy" / "docker-compose.gpu.yml"
ENV_EXAMPLE = ROOT / "deploy" / ".env.example"
PROMETHEUS = ROOT / "deploy" / "prometheus" / "prometheus.yml"
GRAFANA = ROOT / "deploy" / "grafana"
CHROMA_REQUIREMENTS = ROOT / "tools" / "chroma" / "requirements.txt"
CONFIG_SOURCES = [ROOT / "libs" / "config" / "src" / "shared-env.ts", *sorted(ROOT.glob("services/*/src/*.config.ts"))]

# Compose service -> (port variable, port) of the three application services.
APP_SERVICES = {"gateway": ("GATEWAY_PORT", 4000), "query": ("QUERY_PORT", 4100), "embedder": ("EMBEDDER_PORT", 4200)}
SECRETS = ("JWT_SECRET", "ADMIN_PASSWORD", "POSTGRES_PASSWORD")

findings: list[str] = []


def finding(where: Path | str, message: str) -> None:
    name = where.relative_to(ROOT) if isinstance(where, Path) else where
    findings.append(f"{name}: {message}")


def load_yaml(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        finding(path, f"cannot be read as YAML: {error}")
        return None


# --- Dockerfiles --------------------------------------------------------------------------------


class Stage:
    def __init__(self, name: str, base: str) -> None:
        self.name = name
        self.base = base
        self.instructions: list[tuple[str, str]] = []

    def last(self, keyword: str) -> str | None:
        values = [value for key, value in self.instructions if key == keyword]
        return values[-1] if values else None


def parse_dockerfile(path: Path) -> dict[str, Stage]:
    """Stages by name (unnamed ones by index), instructions with continuations joined."""
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    logical = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not logical and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        logical += line[:-1] + " " if line.endswith("\\") else line
        if line.endswith("\\"):
            continue
        keyword, _, rest = logical.partition(" ")
        keyword = keyword.upper()
        logical = ""
        if keyword == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(stages))
            current = Stage(name, parts[0])
            stages[name] = current
        elif current is not None:
            current.instructions.append((keyword, rest.strip()))
    return stages


def inherited(stages: dict[str, Stage], name: str, keyword: str) -> str | None:
    """The value of `keyword` in stage `name` or the nearest stage it is built FROM."""
    seen = set()
    while name in stages and name not in seen:
        seen.add(name)
        value = stages[name].last(keyword)
        if value is not None:
            return value
        name = stages[name].base
    return None


def stage_env(stages: dict[str, Stage], name: str) -> dict[str, str]:
    chain = []
    while name in stages and name not in chain:
        chain.append(name)
        name = stages[name].base
    env: dict[str, str] = {}
    for stage_name in reversed(chain):
        for key, value in stages[stage_name].instructions:
            if key == "ENV":
                env.update(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", value))
    return env


def check_service_stage(path: Path, stages: dict[str, Stage], stage: str, service: str) -> None:
    where = f"{path.relative_to(ROOT)} stage {stage}"
    if stage not in stages:
        finding(path, f"has no stage {stage}")
        return
    cmd = inherited(stages, stage, "CMD")
    expected = f'["node", "dist/services/{service}/src/main.js"]'
    if cmd != expected:
        finding(where, f"CMD is {cmd}, expected {expected}")
    if not (ROOT / "services" / service / "src" / "main.ts").is_file():
        finding(where, f"services/{service}/src/main.ts does not exist")
    user = inherited(stages, stage, "USER")
    if user is None or not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user):
        finding(where, f"USER is {user}; expected a numeric non-root user")
    entrypoint = inherited(stages, stage, "ENTRYPOINT") or ""
    if "tini" not in entrypoint:
        finding(where, f"ENTRYPOINT {entrypoint or '(none)'} does not run tini, so SIGTERM may not reach node")
    healthcheck = inherited(stages, stage, "HEALTHCHECK") or ""
    variable, port = APP_SERVICES[service]
    if f'"{variable}", "/health/live"' not in healthcheck:
        finding(where, f"HEALTHCHECK should probe {variable} on /health/live, is: {healthcheck or '(none)'}")
    expose = inherited(stages, stage, "EXPOSE")
    if expose != str(port):
        finding(where, f"EXPOSE {expose}, expected {port}")
    env = stage_env(stages, stage)
    if env.get(variable) != str(port):
        finding(where, f"ENV {variable}={env.get(variable)}, expected {port}")
    if env.get("NODE_ENV") != "production":
        finding(where, "NODE_ENV is not production")
    if env.get("HOST") != "0.0.0.0":
        finding(where, "HOST is not 0.0.0.0: the service would not be reachable from other containers")
    if not env.get("CLIP_MODEL_DIR", "/models/").startswith("/models/"):
        finding(where, "CLIP_MODEL_DIR should point into the /models volume")


def check_copy_sources(path: Path, stages: dict[str, Stage]) -> None:
    for stage in stages.values():
        for keyword, value in stage.instructions:
            if keyword not in ("COPY", "ADD") or "--from=" in value:
                continue
            arguments = [part for part in value.split() if not part.startswith("--")]
            for source in arguments[:-1]:
                if not list(ROOT.glob(source)):
                    finding(path, f"{keyword} source {source} does not exist in the repository")


def check_dockerfiles() -> dict[Path, dict[str, Stage]]:
    parsed = {}
    for path in sorted((ROOT / "deploy").rglob("*Dockerfile")):
        stages = parse_dockerfile(path)
        parsed[path] = stages
        check_copy_sources(path, stages)
    services = ROOT / "deploy" / "docker" / "services.Dockerfile"
    cuda = ROOT / "deploy" / "docker" / "embedder-cuda.Dockerfile"
    for path in (services, cuda):
        if path not in parsed:
            finding(path, "is missing")
    if services in parsed:
        for service in APP_SERVICES:
            check_service_stage(services, parsed[services], service, service)
        runtime_env = stage_env(parsed[services], "gateway")
        if runtime_env.get("ONNXRUNTIME_NODE_INSTALL") != "skip":
            finding(services, "ONNXRUNTIME_NODE_INSTALL=skip must be set so no CUDA libraries are downloaded")
    if cuda in parsed:
        check_service_stage(cuda, parsed[cuda], "embedder-cuda", "embedder")
        env = stage_env(parsed[cuda], "embedder-cuda")
        if env.get("CLIP_EXECUTION_PROVIDERS") != "cuda,cpu":
            finding(cuda, "CLIP_EXECUTION_PROVIDERS should be cuda,cpu in the runtime stage")
        deps_env = stage_env(parsed[cuda], "prod-deps")
        if deps_env.get("ONNXRUNTIME_NODE_INSTALL") != "cuda12":
            finding(cuda, "prod-deps must install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12")
        base = parsed[cuda].get("cuda-base")
        cuda_image = re.search(r"ARG CUDA_IMAGE=(\S+)", cuda.read_text(encoding="utf-8"))
        if base is None or cuda_image is None or not re.fullmatch(
            r"nvidia/cuda:1[23]\.[0-9.]+-cudnn-runtime-ubuntu22\.04", cuda_image.group(1)
        ):
            finding(cuda, "the runtime should be an nvidia/cuda:<12|13>.x-cudnn-runtime-ubuntu22.04 image (ARG CUDA_IMAGE)")
    return parsed


# --- Compose ------------------------------------------------------------------------------------


def healthcheck_of_image(build: dict, dockerfiles: dict[Path, dict[str, Stage]]) -> bool:
    stages = dockerfiles.get(ROOT / build.get("dockerfile", "Dockerfile"), {})
    target = build.get("target") or (list(stages)[-1] if stages else None)
    return target is not None and inherited(stages, target, "HEALTHCHECK") is not None


def check_build(path: Path, name: str, build, dockerfiles) -> None:
    if not isinstance(build, dict):
        finding(path, f"service {name}: write build as a mapping with context, dockerfile, target")
        return
    dockerfile = ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
    if build.get("context", ".") != ".":
        finding(path, f"service {name}: the build context must be the repository root (.)")
    if not dockerfile.is_file():
        finding(path, f"service {name}: {dockerfile.relative_to(ROOT)} does not exist")
    elif build.get("target") and build["target"] not in dockerfiles.get(dockerfile, {}):
        finding(path, f"service {name}: {dockerfile.relative_to(ROOT)} has no stage {build['target']}")


def check_compose(dockerfiles) -> dict:
    compose = load_yaml(COMPOSE)
    if not isinstance(compose, dict):
        return {}
    services = compose.get("services") or {}
    declared_volumes = set((compose.get("volumes") or {}).keys())
    for required in ("redis", "chroma", "postgres", "prometheus", *APP_SERVICES):
        if required not in services:
            finding(COMPOSE, f"has no service {required}")
    for name, service in services.items():
        if "image" not in service and "build" not in service:
            finding(COMPOSE, f"service {name} has neither image nor build")
        if "build" in service:
            check_build(COMPOSE, name, service["build"], dockerfiles)
        depends = service.get("depends_on") or {}
        for dependency, condition in (depends.items() if isinstance(depends, dict) else [(d, {}) for d in depends]):
            if dependency not in services:
                finding(COMPOSE, f"service {name} depends on unknown service {dependency}")
                continue
            if (condition or {}).get("condition") == "service_healthy":
                other = services[dependency]
                has_check = "healthcheck" in other or (
                    "build" in other and healthcheck_of_image(other["build"], dockerfiles)
                )
                if not has_check:
                    finding(COMPOSE, f"service {name} waits for {dependency} to be healthy, which has no health check")
        if name in APP_SERVICES or name in ("redis", "chroma", "postgres"):
            if "healthcheck" not in service:
                finding(COMPOSE, f"service {name} has no healthcheck")
        for volume in service.get("volumes") or []:
            source = (volume.get("source") if isinstance(volume, dict) else volume.split(":")[0]) or ""
            if source.startswith((".", "/")):
                if "$" not in source and not (ROOT / source).exists():
                    finding(COMPOSE, f"service {name} mounts {source}, which does not exist")
            elif source and "$" not in source and source not in declared_volumes:
                finding(COMPOSE, f"service {name} uses volume {source}, not declared under volumes:")
    for name, (variable, port) in APP_SERVICES.items():
        service = services.get(name) or {}
        environment = service.get("environment") or {}
        if str(environment.get(variable)) != str(port):
            finding(COMPOSE, f"service {name} should set {variable}: '{port}' (got {environment.get(variable)})")
        if environment.get("HOST") != "0.0.0.0":
            finding(COMPOSE, f"service {name} should set HOST: 0.0.0.0")
        if service.get("env_file") is None:
            finding(COMPOSE, f"service {name} should read its settings and secrets from env_file .env")
    embedder = services.get("embedder") or {}
    if (embedder.get("deploy") or {}).get("replicas", 1) < 2:
        finding(COMPOSE, "the embedder should run at least 2 replicas (deploy.replicas)")
    gateway_data = [v for v in (services.get("gateway") or {}).get("volumes", []) if str(v).endswith(":/data")]
    embedder_data = [v for v in embedder.get("volumes", []) if str(v).endswith(":/data")]
    if not gateway_data or gateway_data != embedder_data:
        finding(COMPOSE, "gateway and embedder must share one volume at /data (DATA_DIR)")
    gateway_env = (services.get("gateway") or {}).get("environment") or {}
    if not str(gateway_env.get("DATABASE_URL", "")).startswith("postgres://"):
        finding(COMPOSE, "the gateway should get DATABASE_URL for the postgres service")
    redis = " ".join(str(part) for part in (services.get("redis") or {}).get("command") or [])
    if not re.search(r"--appendonly yes\b", redis) or not re.search(r"--maxmemory-policy noeviction\b", redis):
        finding(COMPOSE, "redis must run with --appendonly yes and --maxmemory-policy noeviction (BullMQ)")
    if not str((services.get("redis") or {}).get("image", "")).startswith("redis:7"):
        finding(COMPOSE, "redis should be Redis 7")
    if not str((services.get("postgres") or {}).get("image", "")).startswith("postgres:16"):
        finding(COMPOSE, "postgres should be PostgreSQL 16")
    pinned = re.search(r"^chromadb==(\S+)$", CHROMA_REQUIREMENTS.read_text(encoding="utf-8"), re.M)
    chroma_image = str((services.get("chroma") or {}).get("image", ""))
    if pinned and chroma_image != f"chromadb/chroma:{pinned.group(1)}":
        finding(COMPOSE, f"chroma image {chroma_image} differs from chromadb=={pinned.group(1)} in tools/chroma/requirements.txt")
    for name, service in services.items():
        image = str(service.get("image", ""))
        if image and "build" not in service and (":" not in image or image.endswith(":latest")):
            finding(COMPOSE, f"service {name}: pin the image version ({image})")
    return compose


def check_gpu_override(dockerfiles) -> dict:
    override = load_yaml(GPU_OVERRIDE)
    if not isinstance(override, dict):
        return {}
    embedder = (override.get("services") or {}).get("embedder")
    if not embedder:
        finding(GPU_OVERRIDE, "does not override the embedder service")
        return override
    check_build(GPU_OVERRIDE, "embedder", embedder.get("build"), dockerfiles)
    if (embedder.get("build") or {}).get("dockerfile") != "deploy/docker/embedder-cuda.Dockerfile":
        finding(GPU_OVERRIDE, "the embedder should build deploy/docker/embedder-cuda.Dockerfile")
    devices = (((embedder.get("deploy") or {}).get("resources") or {}).get("reservations") or {}).get("devices") or []
    if not any(d.get("driver") == "nvidia" and "gpu" in (d.get("capabilities") or []) for d in devices):
        finding(GPU_OVERRIDE, "the embedder should reserve an nvidia device with the gpu capability")
    return override


# --- Prometheus and Grafana ---------------------------------------------------------------------


def check_prometheus() -> None:
    config = load_yaml(PROMETHEUS)
    if not isinstance(config, dict):
        return
    targets: set[str] = set()
    for job in config.get("scrape_configs") or []:
        if job.get("metrics_path", "/metrics") != "/metrics":
            finding(PROMETHEUS, f"job {job.get('job_name')} scrapes {job.get('metrics_path')}, services serve /metrics")
        for static in job.get("static_configs") or []:
            targets.update(static.get("targets") or [])
        for dns in job.get("dns_sd_configs") or []:
            targets.update(f"{name}:{dns.get('port')}" for name in dns.get("names") or [])
    for name, (_, port) in APP_SERVICES.items():
        if f"{name}:{port}" not in targets:
            finding(PROMETHEUS, f"nothing scrapes {name}:{port}")


def check_grafana() -> None:
    uids = set()
    for path in sorted((GRAFANA / "provisioning" / "datasources").glob("*.yml")):
        data = load_yaml(path) or {}
        uids.update(source.get("uid") for source in data.get("datasources") or [])
    for path in sorted((GRAFANA / "provisioning" / "dashboards").glob("*.yml")):
        load_yaml(path)
    for path in sorted((GRAFANA / "dashboards").glob("*.json")):
        try:
            dashboard = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            finding(path, f"is not valid JSON: {error}")
            continue
        used = {json.dumps(panel.get("datasource")) for panel in dashboard.get("panels", []) if panel.get("type") != "row"}
        for datasource in used:
            uid = (json.loads(datasource) or {}).get("uid")
            if uid not in uids:
                finding(path, f"uses datasource uid {uid}, not provisioned (have {sorted(uids)})")


# --- .env.example -------------------------------------------------------------------------------


def service_variables() -> set[str]:
    names = set()
    for path in CONFIG_SOURCES:
        names.update(re.findall(r"^\s+([A-Z][A-Z0-9_]{2,}):", path.read_text(encoding="utf-8"), re.M))
    return names


def compose_variables(*paths: Path) -> set[str]:
    names = set()
    for path in paths:
        text = path.read_text(encoding="utf-8").replace("$$", "")
        names.update(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    return names


def check_env_example() -> None:
    if not ENV_EXAMPLE.is_file():
        finding(ENV_EXAMPLE, "is missing")
        return
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]{2,})=", text, re.M))
    documented.update(re.findall(r"\b([A-Z][A-Z0-9_]{2,})=", text))
    for name in sorted(service_variables() - documented):
        finding(ENV_EXAMPLE, f"does not list {name}, which a service reads")
    for name in sorted(compose_variables(COMPOSE, GPU_OVERRIDE) - documented):
        finding(ENV_EXAMPLE, f"does not list {name}, which the Compose files interpolate")
    for secret in SECRETS:
        match = re.search(rf"^{secret}=(.*)$", text, re.M)
        if match is None:
            finding(ENV_EXAMPLE, f"should have an uncommented, empty {secret}= line")
        elif match.group(1).strip():
            finding(ENV_EXAMPLE, f"{secret} must not have a value in the example")


def main() -> int:
    dockerfiles = check_dockerfiles()
    check_compose(dockerfiles)
    check_gpu_override(dockerfiles)
    check_prometheus()
    check_grafana()
    check_env_example()
    for line in findings:
        print(line)
    if findings:
        print(f"check_deploy: {len(findings)} finding(s)")
        return 1
    print("check_deploy: compose, Dockerfiles, Prometheus, Grafana and .env.example are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
