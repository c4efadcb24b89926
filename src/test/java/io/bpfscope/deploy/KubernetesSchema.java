package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests as the Kubernetes API types they claim to be, refusing what the API would refuse
 * or silently drop. Built-in kinds go through the official Java client's models, generated from the
 * Kubernetes OpenAPI spec: they reject any field the spec does not define and any missing required
 * field, at every level. The Prometheus Operator's kinds go through fabric8's models of its CRDs,
 * which keep unknown fields aside instead of failing, so those must come out empty.
 */
final class KubernetesSchema {

    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "apps/v1/DaemonSet", V1DaemonSet.class,
            "v1/Service", V1Service.class,
            "v1/Secret", V1Secret.class,
            "v1/ServiceAccount", V1ServiceAccount.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);
    private static final Map<String, Class<?>> OPERATOR = Map.of(
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private KubernetesSchema() {
    }

    /** {@code manifest} as its API type; an assertion error names what the schema refuses. */
    static Object read(JsonNode manifest) {
        String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        assertThat(manifest.path("metadata").path("name").asText()).as("metadata.name of a %s", type).isNotEmpty();
        String json = manifest.toString();
        if (BUILT_IN.containsKey(type)) {
            try {
                return JSON.deserialize(json, BUILT_IN.get(type));
            } catch (RuntimeException refused) {
                throw new AssertionError(type + " " + manifest.path("metadata").path("name").asText()
                        + " does not match the Kubernetes API schema: " + refused.getMessage(), refused);
            }
        }
        assertThat(OPERATOR).as("kinds this check knows").containsKey(type);
        try {
            Object object = JACKSON.readValue(json, OPERATOR.get(type));
            List<String> unknown = new ArrayList<>();
            collectUnknown(object, type, unknown);
            assertThat(unknown).as("fields the %s schema does not define", type).isEmpty();
            requireOperatorFields(object);
            return object;
        } catch (java.io.IOException refused) {
            throw new AssertionError(type + " does not match its CRD's schema: " + refused.getMessage(), refused);
        }
    }

    /** What the CRDs mark required (fabric8's models do not check it). */
    private static void requireOperatorFields(Object object) {
        switch (object) {
            case ServiceMonitor monitor -> assertThat(monitor.getSpec().getSelector()).as("ServiceMonitor spec.selector").isNotNull();
            case PrometheusRule rule -> rule.getSpec().getGroups().forEach(group -> {
                assertThat(group.getName()).as("PrometheusRule group name").isNotEmpty();
                group.getRules().forEach(each -> {
                    assertThat(each.getExpr()).as("expr of rule %s", each.getAlert()).isNotNull();
                    assertThat(each.getAlert() == null).as("rule %s: alert or record, not both", each.getAlert())
                            .isNotEqualTo(each.getRecord() == null);
                });
            });
            default -> throw new IllegalArgumentException(object.getClass().getName());
        }
    }

    private static void collectUnknown(Object value, String path, List<String> unknown) {
        switch (value) {
            case null -> { }
            case Collection<?> elements -> {
                int index = 0;
                for (Object element : elements) {
                    collectUnknown(element, path + "[" + index++ + "]", unknown);
                }
            }
            case Map<?, ?> entries -> entries.forEach((key, element) -> collectUnknown(element, path + "." + key, unknown));
            default -> {
                if (value.getClass().getPackageName().startsWith("io.fabric8.")) {
                    fieldsOf(value, path, unknown);
                }
            }
        }
    }

    private static void fieldsOf(Object value, String path, List<String> unknown) {
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    ((Map<?, ?>) fieldValue).keySet().forEach(key -> unknown.add(path + "." + key));
                } else {
                    collectUnknown(fieldValue, path + "." + field.getName(), unknown);
                }
            }
        }
    }
}
