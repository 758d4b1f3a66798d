{{/* The chart's short name. */}}
{{- define "mooring.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name alone when it already contains the chart's. */}}
{{- define "mooring.fullname" -}}
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

{{- define "mooring.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mooring.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mooring.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mooring.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mooring.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mooring.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The API tokens the chart stores itself (none when an existing Secret is named). */}}
{{- define "mooring.chartTokens" -}}
{{- if not .Values.api.existingSecret }}
{{- if .Values.api.tokens }}api-tokens {{ end }}
{{- if .Values.api.readonlyTokens }}api-readonly-tokens {{ end }}
{{- end }}
{{- end }}

{{/* The webhook providers whose secret the chart stores itself. */}}
{{- define "mooring.chartWebhookProviders" -}}
{{- if not .Values.webhook.existingSecret }}
{{- range $provider, $secret := .Values.webhook.secrets }}
{{- if $secret }}{{ $provider }} {{ end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Non-empty when the chart creates its own Secret. */}}
{{- define "mooring.createSecret" -}}
{{- trim (printf "%s%s" (include "mooring.chartTokens" .) (include "mooring.chartWebhookProviders" .)) }}
{{- end }}
