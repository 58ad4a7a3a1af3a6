#!/usr/bin/env python3
"""Writes the schema subset the manifest tests validate against (see README.md beside this file).

Usage: extract.py K8S_OPENAPI_V3_DIR CRD_YAML...
  K8S_OPENAPI_V3_DIR holds api/v1.json and apis/<group>/<version>.json (Kubernetes' OpenAPI v3 documents);
  each CRD_YAML is a file with CustomResourceDefinitions (a release manifest or config/crd/bases files).
Only the kinds named below are kept, with the schemas they reach; descriptions are dropped (they are most
of the size and validate nothing). Nothing else is changed.
"""
import json, os, sys
import yaml

KINDS = {  # group/version -> kinds the manifests use
    "v1": ["ConfigMap", "Service", "Namespace"],
    "apps/v1": ["Deployment"],
    "policy/v1": ["PodDisruptionBudget"],
    "networking.k8s.io/v1": ["Ingress", "NetworkPolicy"],
    "autoscaling/v2": ["HorizontalPodAutoscaler"],
}
CRDS = {  # group -> (version, kinds)
    "postgresql.cnpg.io": ("v1", ["Cluster", "Database", "ScheduledBackup"]),
    "rabbitmq.com": ("v1beta1", ["RabbitmqCluster"]),
    "keda.sh": ("v1alpha1", ["ScaledObject", "TriggerAuthentication"]),
}

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

def refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str):
            out.add(r.rsplit("/", 1)[1])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)

def kubernetes(root):
    schemas, kinds = {}, {}
    for gv, names in KINDS.items():
        path = os.path.join(root, "api/v1.json" if gv == "v1" else f"apis/{gv}.json")
        with open(path) as f:
            doc = json.load(f)["components"]["schemas"]
        group, _, version = gv.rpartition("/")
        for name, schema in doc.items():
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                if gvk["group"] == group and gvk["version"] == version and gvk["kind"] in names:
                    kinds[f"{gv}/{gvk['kind']}"] = name
        todo = [kinds[f"{gv}/{k}"] for k in names]
        while todo:
            name = todo.pop()
            if name in schemas:
                continue
            schemas[name] = strip(doc[name])
            found = set()
            refs(schemas[name], found)
            todo.extend(found - schemas.keys())
    return {"kinds": dict(sorted(kinds.items())), "schemas": dict(sorted(schemas.items()))}

def crds(files):
    out = {}
    for path in files:
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if not doc or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                if spec["group"] not in CRDS:
                    continue
                version, names = CRDS[spec["group"]]
                if spec["names"]["kind"] not in names:
                    continue
                for v in spec["versions"]:
                    if v["name"] == version:
                        out[f"{spec['group']}/{version}/{spec['names']['kind']}"] = strip(v["schema"]["openAPIV3Schema"])
    return dict(sorted(out.items()))

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "kubernetes.json"), "w") as f:
        json.dump(kubernetes(sys.argv[1]), f, separators=(",", ":"), sort_keys=False)
        f.write("\n")
    found = crds(sys.argv[2:])
    wanted = {f"{g}/{v}/{k}" for g, (v, ks) in CRDS.items() for k in ks}
    if found.keys() != wanted:
        sys.exit(f"missing CRDs: {sorted(wanted - found.keys())}")
    with open(os.path.join(here, "crds.json"), "w") as f:
        json.dump(found, f, separators=(",", ":"))
        f.write("\n")
