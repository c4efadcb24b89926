{{/* Chart name, or nameOverride; 63 characters at most, as Kubernetes names allow. */}}
{{- define "bpfscope.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object names: the release name alone when it already contains the chart name. */}}
{{- define "bpfscope.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels that select the pods: they must never change between releases of the chart. */}}
{{- define "bpfscope.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bpfscope.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "bpfscope.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "bpfscope.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "bpfscope.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bpfscope.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the API token: the user's, or the one this chart creates. */}}
{{- define "bpfscope.tokenSecretName" -}}
{{- default (printf "%s-api-token" (include "bpfscope.fullname" .)) .Values.apiToken.existingSecret }}
{{- end }}

{{- define "bpfscope.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
