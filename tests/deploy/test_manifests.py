"""The deployment manifests, checked offline as the cluster, Docker Compose and
Docker would check them: schemas first (kubernetes-validate, the compose-spec
schema vendored by check-jsonschema), then what a deployer would notice: pods
without probes or limits, autoscalers aimed at nothing, websockets routed to
gunicorn, a real secret committed, an image that runs as root.

No Docker engine and no cluster here: `kubectl kustomize` only renders."""

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
OVERLAY = K8S / "overlays" / "province-example"
SECRET_EXAMPLE = K8S / "base" / "secret.example.yaml"
COMPOSE = DEPLOY / "compose.yaml"
COMPOSE_ENV = DEPLOY / "compose.env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
NGINX_CONF = DEPLOY / "nginx" / "hocvuso.conf"
RENDER = DEPLOY / "nginx" / "render"
# The oldest Kubernetes the manifests promise to run on.
KUBERNETES_VERSION = "1.32.0"
APP_IMAGE = "hocvuso"
POD_KINDS = {"Deployment", "Job", "CronJob"}
APP_PACKAGES = ("courses", "quizzes", "certificates")


# --- Kubernetes -----------------------------------------------------------------


def _kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("kubectl (with kustomize) is missing on the CI machine")
        pytest.skip("kubectl is not installed: the manifests cannot be rendered")
    return path


def _render(folder: Path) -> list[dict]:
    result = subprocess.run(
        [_kubectl(), "kustomize", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module", params=["base", "overlays/province-example"])
def rendered(request) -> list[dict]:
    return _render(K8S / request.param)


def _of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def _pod_spec(doc: dict) -> dict:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def _containers(pod: dict) -> list[dict]:
    return pod.get("initContainers", []) + pod["containers"]


def _served_deployments(docs: list[dict]) -> set[str]:
    """Deployments some Service sends traffic to."""
    served = set()
    for service in _of_kind(docs, "Service").values():
        selector = service["spec"]["selector"].items()
        for name, deployment in _of_kind(docs, "Deployment").items():
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            if selector <= labels.items():
                served.add(name)
    return served


def _config(docs: list[dict]) -> dict[str, str]:
    (config,) = [
        d["data"]
        for d in docs
        if d["kind"] == "ConfigMap"
        and d["metadata"]["name"].startswith("hocvuso-config")
    ]
    return config


def test_every_rendered_document_passes_the_kubernetes_schema(rendered):
    # strict: an unknown field (a misspelt probe, say) is an error, as
    # `kubectl apply --validate=strict` would make it
    errors = []
    for doc in rendered:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: {error}")
    assert not errors, "\n".join(errors)
    kinds = {doc["kind"] for doc in rendered}
    assert {
        "Deployment",
        "Service",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "CronJob",
        "Job",
        "ConfigMap",
        "PersistentVolumeClaim",
    } <= kinds


def test_the_schema_check_catches_a_misspelt_field(rendered):
    deployment = dict(_of_kind(rendered, "Deployment")["web"])
    container = dict(_pod_spec(deployment)["containers"][0])
    container["readinesProbe"] = container.pop("readinessProbe")
    broken = {
        **deployment,
        "spec": {
            **deployment["spec"],
            "template": {
                **deployment["spec"]["template"],
                "spec": {**_pod_spec(deployment), "containers": [container]},
            },
        },
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_every_deployment_has_probes_resources_and_runs_as_non_root(rendered):
    deployments = _of_kind(rendered, "Deployment")
    assert {"web", "ws", "worker", "beat", "media"} <= deployments.keys()
    served = _served_deployments(rendered)
    for name, deployment in deployments.items():
        pod = _pod_spec(deployment)
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in _containers(pod):
            where = f"{name}/{container['name']}"
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= container["resources"][bound].keys(), where
        for container in pod["containers"]:
            where = f"{name}/{container['name']}"
            assert "livenessProbe" in container, where
            if name in served:
                assert "readinessProbe" in container, where
    # the processes answering HTTP are ready only when /healthz says so
    for name in ("web", "ws"):
        probe = _pod_spec(deployments[name])["containers"][0]["readinessProbe"]
        assert probe["httpGet"]["path"] == "/healthz"


def test_every_pod_meets_the_restricted_pod_security_standard(rendered):
    # the overlay's namespace enforces it: a pod that misses one is refused
    for doc in rendered:
        if doc["kind"] not in POD_KINDS:
            continue
        pod = _pod_spec(doc)
        pod_context = pod.get("securityContext", {})
        for container in _containers(pod):
            where = f"{doc['kind']}/{doc['metadata']['name']}/{container['name']}"
            context = container.get("securityContext", {})
            assert context.get("runAsNonRoot", pod_context.get("runAsNonRoot")), where
            assert context.get("runAsUser", pod_context.get("runAsUser", 1)) != 0
            assert context.get("allowPrivilegeEscalation") is False, where
            assert "ALL" in context.get("capabilities", {}).get("drop", []), where
            seccomp = context.get("seccompProfile", pod_context.get("seccompProfile"))
            assert seccomp == {"type": "RuntimeDefault"}, where


def test_autoscalers_target_existing_deployments_that_leave_them_the_count(
    rendered,
):
    deployments = _of_kind(rendered, "Deployment")
    autoscalers = _of_kind(rendered, "HorizontalPodAutoscaler")
    assert {"web", "ws", "worker"} <= {
        hpa["spec"]["scaleTargetRef"]["name"] for hpa in autoscalers.values()
    }
    for name, hpa in autoscalers.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment", name
        assert target["name"] in deployments, f"{name} targets nothing"
        deployment = deployments[target["name"]]
        # a replicas field would reset the autoscaler's count on every apply
        assert "replicas" not in deployment["spec"], target["name"]
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        # CPU utilisation is measured against the requests
        for container in _pod_spec(deployment)["containers"]:
            assert "cpu" in container["resources"]["requests"]


def test_disruption_budgets_cover_the_scaled_deployments(rendered):
    deployments = _of_kind(rendered, "Deployment")
    covered = set()
    for name, budget in _of_kind(rendered, "PodDisruptionBudget").items():
        selector = budget["spec"]["selector"]["matchLabels"].items()
        matched = [
            deployment_name
            for deployment_name, deployment in deployments.items()
            if selector <= deployment["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(matched) == 1, f"budget {name} selects {matched}"
        covered.update(matched)
    assert {"web", "ws", "worker", "media"} <= covered


def _option_value(command: list[str], name: str, default: int) -> int:
    values = [int(w.split("=", 1)[1]) for w in command if w.startswith(name + "=")]
    return values[-1] if values else default


def test_a_rolling_deploy_drains_a_pod_before_its_server_stops(rendered):
    # During an exam a deploy must lose no request: a new pod is ready before
    # an old one goes, and the old one leaves the Service (preStop) before
    # its server stops, with time to finish what it holds.
    deployments = _of_kind(rendered, "Deployment")
    # gunicorn's graceful timeout, uvicorn's, nginx's (SIGQUIT: in flight)
    server_stop = {
        "web": lambda c: 30,
        "ws": lambda c: _option_value(c["command"], "--timeout-graceful-shutdown", 0),
        "media": lambda c: 10,
    }
    for name, stop_time in server_stop.items():
        deployment = deployments[name]
        strategy = deployment["spec"].get("strategy", {"type": "RollingUpdate"})
        if name != "media":
            assert strategy["rollingUpdate"]["maxUnavailable"] == 0, name
        pod = _pod_spec(deployment)
        grace = pod.get("terminationGracePeriodSeconds", 30)
        container = pod["containers"][0]
        assert "readinessProbe" in container, name
        sleep = container["lifecycle"]["preStop"]["exec"]["command"]
        assert sleep[0] == "sleep" and int(sleep[1]) >= 5, name
        assert grace >= int(sleep[1]) + stop_time(container), name
    # an idle quiz socket is closed on purpose, not cut by SIGKILL
    assert server_stop["ws"](_pod_spec(deployments["ws"])["containers"][0]) > 0
    worker = deployments["worker"]["spec"]["strategy"]["rollingUpdate"]
    assert worker["maxUnavailable"] == 0


def _cron_minutes(schedule: str) -> int:
    minute, hour, *_ = schedule.split()
    return int(hour) * 60 + int(minute)


def _claim_mounts(pod: dict, container: dict) -> dict[str, dict]:
    """claim name → the container's mount of it"""
    claims = {
        v["name"]: v["persistentVolumeClaim"]["claimName"]
        for v in pod.get("volumes", [])
        if "persistentVolumeClaim" in v
    }
    return {
        claims[m["name"]]: m
        for m in container.get("volumeMounts", [])
        if m["name"] in claims
    }


def test_the_restore_drill_reads_where_the_backup_writes(rendered):
    config = _config(rendered)
    jobs = _of_kind(rendered, "CronJob")
    backup_pod, drill_pod = _pod_spec(jobs["backup"]), _pod_spec(jobs["restore-drill"])
    (backup,) = backup_pod["containers"]
    (drill,) = drill_pod["containers"]
    assert backup["command"][:2] == ["django-admin", "backup_create"]
    assert drill["command"][:2] == ["django-admin", "backup_restore_drill"]

    written = _claim_mounts(backup_pod, backup)
    read = _claim_mounts(drill_pod, drill)
    assert written["backups"]["mountPath"] == config["BACKUP_DIR"]
    assert not written["backups"].get("readOnly")
    assert drill["command"][2] == read["backups"]["mountPath"]
    assert read["backups"]["readOnly"] is True
    # the media that cannot be rebuilt, read where the application writes it
    assert written["media"]["mountPath"] == config["MEDIA_ROOT"]
    assert written["media"]["readOnly"] is True
    assert (
        int(config["BACKUP_KEEP_DAILY"]) >= 1 and int(config["BACKUP_KEEP_WEEKLY"]) >= 1
    )

    # the drill restores into its own empty PostgreSQL, never the live one
    env = {e["name"]: e for e in drill.get("env", [])}
    assert urlsplit(env["DATABASE_URL"]["value"]).hostname == "127.0.0.1"
    assert not any("secretRef" in source for source in drill.get("envFrom", []))
    (sidecar,) = drill_pod["initContainers"]
    assert sidecar["restartPolicy"] == "Always" and "startupProbe" in sidecar
    assert sidecar["image"] == _compose()["services"]["db"]["image"]
    assert "listen_addresses=127.0.0.1" in sidecar["args"]

    # the backups claim is ReadWriteOnce: the drill starts after the backup's
    # longest run, in the same time zone, and neither overlaps itself
    for job in jobs["backup"], jobs["restore-drill"]:
        assert job["spec"]["concurrencyPolicy"] == "Forbid"
        assert job["spec"]["timeZone"] == jobs["backup"]["spec"]["timeZone"]
    backup_end = _cron_minutes(jobs["backup"]["spec"]["schedule"]) + (
        jobs["backup"]["spec"]["jobTemplate"]["spec"]["activeDeadlineSeconds"] // 60
    )
    assert backup_end <= _cron_minutes(jobs["restore-drill"]["spec"]["schedule"])
    # the drill is bounded in time and a failure is not retried into a pass
    drill_job = jobs["restore-drill"]["spec"]["jobTemplate"]["spec"]
    assert drill_job["activeDeadlineSeconds"] <= 3600
    assert drill_job["backoffLimit"] == 0


def test_beat_is_one_pod_replaced_never_doubled(rendered):
    beat = _of_kind(rendered, "Deployment")["beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    targets = {
        hpa["spec"]["scaleTargetRef"]["name"]
        for hpa in _of_kind(rendered, "HorizontalPodAutoscaler").values()
    }
    assert "beat" not in targets
    command = _pod_spec(beat)["containers"][0]["command"]
    assert command[:4] == ["celery", "-A", "hocvuso", "beat"]


def _routes(docs: list[dict]) -> dict[str, tuple[dict, dict]]:
    """path → (ingress, backend service)"""
    routes = {}
    for ingress in _of_kind(docs, "Ingress").values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                routes[path["path"]] = (ingress, path["backend"]["service"])
    return routes


def _container_port(docs: list[dict], service_name: str, port_name: str) -> dict:
    """The container behind a Service's named port, and that port."""
    service = _of_kind(docs, "Service")[service_name]
    (port,) = [p for p in service["spec"]["ports"] if p["name"] == port_name]
    for deployment in _of_kind(docs, "Deployment").values():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if service["spec"]["selector"].items() <= labels.items():
            for container in _pod_spec(deployment)["containers"]:
                for container_port in container.get("ports", []):
                    if container_port["name"] == port["targetPort"]:
                        return {"container": container, "port": container_port}
    pytest.fail(f"no container behind {service_name}:{port_name}")


def test_ingress_sends_websockets_to_the_asgi_service(rendered):
    routes = _routes(rendered)
    ingress, backend = routes["/ws"]
    behind = _container_port(rendered, backend["name"], backend["port"]["name"])
    assert behind["container"]["command"][:2] == ["uvicorn", "hocvuso.asgi:application"]
    assert f"--port={behind['port']['containerPort']}" in behind["container"]["command"]
    # an idle socket (a quiz waiting for extra time) lives at least an hour
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600

    # pages go to gunicorn (the image's default command), media to nginx
    ingress, backend = routes["/"]
    web = _container_port(rendered, backend["name"], "http")["container"]
    assert "command" not in web
    timeout = ingress["metadata"]["annotations"].get(
        "nginx.ingress.kubernetes.io/proxy-read-timeout", "60"
    )
    assert int(timeout) < 3600, "the websocket timeout leaked onto the pages"
    for prefix in ("/static", "/media"):
        backend = routes[prefix][1]
        container = _container_port(rendered, backend["name"], "http")["container"]
        assert container["image"].startswith("nginxinc/nginx-unprivileged:")


def test_every_ingress_backend_and_volume_claim_exists(rendered):
    services = _of_kind(rendered, "Service")
    for _ingress, backend in _routes(rendered).values():
        assert backend["name"] in services
        assert backend["port"]["name"] in {
            p["name"] for p in services[backend["name"]]["spec"]["ports"]
        }
    claims = _of_kind(rendered, "PersistentVolumeClaim")
    for doc in rendered:
        if doc["kind"] in POD_KINDS:
            for volume in _pod_spec(doc).get("volumes", []):
                if "persistentVolumeClaim" in volume:
                    assert volume["persistentVolumeClaim"]["claimName"] in claims
    # web writes media that the media nginx serves from any node
    assert claims["media"]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_pods_read_the_generated_config_and_the_example_secrets_name(rendered):
    config_maps = _of_kind(rendered, "ConfigMap")
    secret = yaml.safe_load(SECRET_EXAMPLE.read_text())
    secret_name, secret_keys = secret["metadata"]["name"], secret["stringData"]
    for doc in rendered:
        if doc["kind"] not in POD_KINDS:
            continue
        for container in _containers(_pod_spec(doc)):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps
                else:
                    assert source["secretRef"]["name"] == secret_name
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == secret_name
                    assert ref["key"] in secret_keys


def test_allowed_hosts_accept_the_ingress_host_and_the_probes(rendered):
    # otherwise Django answers 400 to every visitor, or to every probe
    config = _config(rendered)
    allowed = set(config["ALLOWED_HOSTS"].split(","))
    for ingress in _of_kind(rendered, "Ingress").values():
        for rule in ingress["spec"]["rules"]:
            assert rule["host"] in allowed
            assert urlsplit(config["SITE_URL"]).hostname == rule["host"]
            assert f"https://{rule['host']}" in config["CSRF_TRUSTED_ORIGINS"]
    for deployment in _of_kind(rendered, "Deployment").values():
        for container in _pod_spec(deployment)["containers"]:
            probe = container.get("readinessProbe", {}).get("httpGet", {})
            if probe.get("path") == "/healthz":
                hosts = [
                    h["value"] for h in probe["httpHeaders"] if h["name"] == "Host"
                ]
                assert hosts and set(hosts) <= allowed


def test_the_media_nginx_proxies_to_services_that_exist(rendered, tmp_path):
    media = _pod_spec(_of_kind(rendered, "Deployment")["media"])
    (init,) = media["initContainers"]
    words = shlex.split(init["command"][-1])
    start = words.index("/app/deploy/nginx/render")
    wsgi, asgi, listen = words[start + 3 : start + 6]
    services = _of_kind(rendered, "Service")
    for address in (wsgi, asgi):
        name, port = address.split(":")
        assert int(port) in {p["port"] for p in services[name]["spec"]["ports"]}
    nginx = media["containers"][0]
    assert nginx["ports"][0]["containerPort"] == int(listen)
    conf = _run_render(tmp_path, wsgi, asgi, listen)
    assert f"server {wsgi};" in conf and f"server {asgi};" in conf
    assert "127.0.0.1" not in conf


def test_the_secret_is_only_an_example():
    secret = yaml.safe_load(SECRET_EXAMPLE.read_text())
    kubernetes_validate.validate(secret, KUBERNETES_VERSION, strict=True)
    values = secret["stringData"]
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= values.keys()
    for key, value in values.items():
        assert "CHANGE-ME" in value, f"{key} looks like a real value"
    # an unfilled copy stops the application instead of running with it
    assert _production_refuses(values["SECRET_KEY"])
    kustomization = (K8S / "base" / "kustomization.yaml").read_text()
    assert not re.search(r"^\s*-\s*secret\.example\.yaml", kustomization, re.M)


def test_no_secret_is_rendered_with_the_manifests(rendered):
    # an apply would overwrite the real one with whatever is in git
    assert not _of_kind(rendered, "Secret")


def test_the_overlay_pins_its_namespace_and_image_tag():
    docs = _render(OVERLAY)
    (namespace,) = _of_kind(docs, "Namespace").values()
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"]
    images = {
        container["image"]
        for doc in docs
        if doc["kind"] in POD_KINDS
        for container in _containers(_pod_spec(doc))
    }
    app_images = {image for image in images if "/hocvuso/" in image}
    assert len(app_images) == 1, app_images
    (image,) = app_images
    assert not image.endswith(":latest") and ":" in image.rsplit("/", 1)[-1]
    # every image names a tag: nothing floats with the registry
    assert all(":" in image.rsplit("/", 1)[-1] for image in images), images
    assert APP_IMAGE not in images


# --- Docker Compose -------------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _check_compose_schema(path: Path) -> subprocess.CompletedProcess:
    # the compose-spec schema ships inside check-jsonschema: no download
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_passes_the_compose_spec_schema(tmp_path):
    result = _check_compose_schema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr
    # and the check is real: a misspelt key fails it
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE.read_text().replace("healthcheck:", "healthchek:", 1))
    assert _check_compose_schema(broken).returncode != 0


def _one_shots(compose: dict) -> set[str]:
    return {
        name
        for service in compose["services"].values()
        for name, dependency in service.get("depends_on", {}).items()
        if dependency["condition"] == "service_completed_successfully"
    }


def test_every_compose_service_has_a_healthcheck_or_runs_once():
    compose = _compose()
    one_shots = _one_shots(compose)
    assert {"migrate", "static"} <= one_shots
    for name, service in compose["services"].items():
        if name in one_shots:
            assert service["restart"] == "no", name
        else:
            assert service["healthcheck"]["test"], name
            assert service["restart"] == "unless-stopped", name
    assert {"web", "ws", "worker", "beat", "nginx", "db", "redis"} <= set(
        compose["services"]
    )


def test_compose_web_waits_for_a_healthy_database_and_the_migrations():
    services = _compose()["services"]
    for name in ("web", "ws", "worker"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][:2] == ["django-admin", "migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis:7")
    assert services["ws"]["command"][:2] == ["uvicorn", "hocvuso.asgi:application"]


def test_compose_volumes_are_declared_and_mounted_where_they_are_used():
    compose = _compose()
    declared = set(compose["volumes"])
    assert {"db", "media", "static"} <= declared
    mounts: dict[str, dict[str, str]] = {}
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target, *mode = volume.split(":")
            if not source.startswith("."):
                assert source in declared, f"{name} mounts undeclared {source}"
                mounts.setdefault(source, {})[name] = target + (
                    ":" + mode[0] if mode else ""
                )
    assert mounts["db"] == {"db": "/var/lib/postgresql/data"}
    # uploads written by web and worker are what nginx serves, read-only
    for name in ("web", "worker", "migrate"):
        assert mounts["media"][name] == "/srv/hocvuso/media"
    assert mounts["media"]["nginx"] == "/srv/hocvuso/media:ro"
    assert mounts["static"]["nginx"] == "/srv/hocvuso/static:ro"
    assert declared == set(mounts), "a declared volume nobody mounts"


def test_compose_nginx_renders_the_tested_conf_for_the_compose_services(tmp_path):
    services = _compose()["services"]
    nginx = services["nginx"]
    words = shlex.split(nginx["command"][-1])
    start = words.index("/etc/hocvuso/render")
    wsgi, asgi, listen = words[start + 3 : start + 6]
    assert wsgi == "web:" + services["web"]["expose"][0]
    assert asgi == "ws:" + services["ws"]["expose"][0]
    ws_command = services["ws"]["command"]
    assert ws_command[ws_command.index("--port") + 1] == asgi.split(":")[1]
    assert nginx["ports"][0].endswith(f":{listen}")
    assert "./nginx:/etc/hocvuso:ro" in nginx["volumes"]
    conf = _run_render(tmp_path, wsgi, asgi, listen)
    assert f"server {wsgi};" in conf and f"listen {listen};" in conf


def _env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_compose_env_example_is_consistent_and_only_an_example():
    env = _env_file(COMPOSE_ENV)
    database = urlsplit(env["DATABASE_URL"])
    # the db service creates what DATABASE_URL logs in with
    assert database.hostname == "db"
    assert database.username == env["POSTGRES_USER"]
    assert database.password == env["POSTGRES_PASSWORD"]
    assert database.path == "/" + env["POSTGRES_DB"]
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    assert "CHANGE-ME" in env["SECRET_KEY"] and "CHANGE-ME" in env["POSTGRES_PASSWORD"]
    assert _production_refuses(env["SECRET_KEY"])
    services = _compose()["services"]
    assert services["web"]["env_file"] == "compose.env"
    assert "deploy/compose.env" in (REPO / ".dockerignore").read_text().split()


# --- Dockerfile ---------------------------------------------------------------------


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            result.append((instruction.upper(), " ".join(arguments.split())))
    return result


def _final_stage() -> list[tuple[str, str]]:
    instructions = _instructions()
    last_from = max(i for i, (op, _) in enumerate(instructions) if op == "FROM")
    return instructions[last_from:]


def test_the_image_runs_as_a_non_root_user_set_before_its_command():
    stage = _final_stage()
    ops = [op for op, _ in stage]
    users = [args for op, args in stage if op == "USER"]
    assert users and ops.index("USER") < ops.index("CMD")
    user = users[-1].split(":")[0]
    assert user not in {"0", "root"}
    assert any(op == "RUN" and f"--uid {user}" in args for op, args in stage), (
        "the uid is created in the image"
    )
    (cmd,) = [args for op, args in stage if op == "CMD"]
    assert '"gunicorn", "hocvuso.wsgi"' in cmd and '"gthread"' in cmd


def test_the_image_installs_the_project_without_editable_mode():
    runs = [args for op, args in _instructions() if op == "RUN"]
    assert not any(re.search(r"pip install\b.*(\s-e\s|--editable)", r) for r in runs)
    assert any("pip install -c deploy/requirements.lock ." in r for r in runs)
    froms = [args for op, args in _instructions() if op == "FROM"]
    assert all(f.startswith("${PYTHON_IMAGE}") for f in froms)
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in DOCKERFILE.read_text()


def test_the_image_collects_static_files_and_translations_at_build_time():
    instructions = _instructions()
    runs = [args for op, args in instructions if op == "RUN"]
    collect = [r for r in runs if "collectstatic --noinput" in r]
    assert collect and "SECRET_KEY=build-only" in collect[0]
    assert any("compilemessages" in r for r in runs)
    # the dummy key stays on its RUN line, never in the image's environment
    assert not any(
        op in {"ENV", "ARG"} and "SECRET_KEY" in args for op, args in instructions
    )
    env = " ".join(args for op, args in _final_stage() if op == "ENV")
    assert "DJANGO_SETTINGS_MODULE=hocvuso.settings.production" in env
    # where collectstatic wrote is where nginx looks (root /srv/hocvuso)
    assert "STATIC_ROOT=/srv/hocvuso/static" in env
    assert "MEDIA_ROOT=/srv/hocvuso/media" in env
    assert "root /srv/hocvuso;" in NGINX_CONF.read_text()
    runtime = " ".join(args for op, args in _final_stage() if op == "RUN")
    assert "ffmpeg" in runtime and "fonts-dejavu-core" in runtime
    # pg_dump and pg_restore of the server's major version (bookworm: 15)
    assert "postgresql-client" in runtime
    assert "bookworm" in DOCKERFILE.read_text()


def test_everything_the_image_copies_is_in_the_build_context():
    ignored = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for op, args in _instructions():
        if op != "COPY" or args.startswith("--from"):
            continue
        for source in args.split()[:-1]:
            assert (REPO / source).exists(), source
            parts = Path(source).parts
            prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
            for pattern in ignored:
                assert not any(fnmatch.fnmatch(p, pattern) for p in prefixes), (
                    f"{source} is excluded by .dockerignore ({pattern})"
                )


def test_the_installed_package_carries_every_template_static_file_and_catalogue():
    # The image installs a wheel, not the source tree: a file that no
    # package-data pattern matches is missing in production only (the
    # Vietnamese allauth screens fell back to English that way).
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    roots = [REPO / "platform" / "hocvuso", *(REPO / n for n in APP_PACKAGES)]
    packages = [init.parent for root in roots for init in root.rglob("__init__.py")]
    shipped = {
        path
        for package in packages
        for pattern in patterns
        for path in package.glob(pattern)
    }
    missing = [
        path.relative_to(REPO)
        for root in roots
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix not in {".py", ".pyc"}
        and "__pycache__" not in path.parts
        and path not in shipped
    ]
    assert not missing, missing


# --- nginx for compose and Kubernetes ----------------------------------------------


def _run_render(tmp_path: Path, wsgi: str, asgi: str, listen: str) -> str:
    out = tmp_path / "rendered.conf"
    result = subprocess.run(
        ["sh", str(RENDER), str(NGINX_CONF), str(out), wsgi, asgi, listen],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return out.read_text()


def test_render_keeps_every_location_and_only_moves_the_upstreams(tmp_path):
    conf = _run_render(tmp_path, "web:8000", "ws:8001", "8080")
    original = NGINX_CONF.read_text()
    changed = [
        (before, after)
        for before, after in zip(original.splitlines(), conf.splitlines(), strict=True)
        if before != after
    ]
    assert [after.strip() for _, after in changed] == [
        "upstream hocvuso_wsgi { server web:8000; keepalive 32; }",
        "upstream hocvuso_asgi { server ws:8001; }",
        "listen 8080;",
    ]


def test_render_refuses_a_conf_it_no_longer_matches(tmp_path):
    conf = tmp_path / "other.conf"
    conf.write_text("server { listen 80; }\n")
    result = subprocess.run(
        ["sh", str(RENDER), str(conf), str(tmp_path / "out"), "web:1", "ws:2", "8"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "not found" in result.stderr


def _production_refuses(secret_key: str) -> bool:
    """Whether production settings refuse to load with this SECRET_KEY."""
    result = subprocess.run(
        [sys.executable, "-c", "import hocvuso.settings.production"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO / "platform",
        env={**os.environ, "SECRET_KEY": secret_key},
    )
    return result.returncode != 0 and "ImproperlyConfigured" in result.stderr
