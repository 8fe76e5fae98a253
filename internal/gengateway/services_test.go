package main

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// servicesSpec is a small Gateway-shaped spec: a resource of the account
// (secrets), a nested collection whose ids carry the parent's noun
// (deployments/{d}/shards), one whose ids do not (users/{u}/apiKeys), a
// singleton under a resource (deployments/{d}/ledger), a custom method, a
// singleton of the account, and a path outside any account.
const servicesSpec = `
openapi: 3.1.0
info: {title: t, version: 1.0.0}
paths:
  /v1/accounts/{account_id}/secrets:
    get:
      operationId: Gateway_ListSecrets
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: pageToken, in: query, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewayListSecretsResponse'}}}}}
  /v1/accounts/{account_id}/secrets/{secret_id}:
    patch:
      operationId: Gateway_UpdateSecret
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: secret_id, in: path, required: true, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {type: object, properties: {keyName: {type: string}}}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
    delete:
      operationId: Gateway_DeleteSecret
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: secret_id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {}}}}}}
  /v1/accounts/{account_id}/deployments/{deployment_id}:
    get:
      operationId: Gateway_GetDeployment
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: deployment_id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
  /v1/accounts/{account_id}/deployments/{deployment_id}:undelete:
    post:
      operationId: Gateway_UndeleteDeployment
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: deployment_id, in: path, required: true, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/GatewayUndeleteDeploymentBody'}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {}}}}}}
  /v1/accounts/{account_id}/deployments/{deployment_id}/ledger:
    get:
      operationId: Gateway_GetLedger
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: deployment_id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
  /v1/accounts/{account_id}/deployments/{deployment_id}/shards:
    get:
      operationId: Gateway_ListDeploymentShards
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: deployment_id, in: path, required: true, schema: {type: string}}
        - {name: pageToken, in: query, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewayListSecretsResponse'}}}}}
  /v1/accounts/{account_id}/users/{user_id}/apiKeys:
    post:
      operationId: Gateway_CreateApiKey
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: user_id, in: path, required: true, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
  /v1/accounts/{account_id}/users/{user_id}/apiKeys/{keyId}:
    get:
      operationId: Gateway_GetApiKey
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: user_id, in: path, required: true, schema: {type: string}}
        - {name: keyId, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
  /v1/accounts/{account_id}/policySettings:
    get:
      operationId: Gateway_GetPolicySettings
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
  /v1/auth/refresh:
    post:
      operationId: Gateway_RefreshSessionToken
      tags: [Gateway]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewaySecret'}}}}}
components:
  schemas:
    gatewaySecret:
      type: object
      properties:
        name: {type: string}
    GatewayUndeleteDeploymentBody:
      type: object
      properties: {}
    gatewayListSecretsResponse:
      type: object
      properties:
        secrets: {type: array, items: {$ref: '#/components/schemas/gatewaySecret'}}
        nextPageToken: {type: string}
`

// prepared runs the generator's spec rules on a spec, as generate does.
func prepared(t *testing.T, yaml string) (*openapi3.T, *operationTable, []listOperation) {
	t.Helper()
	doc := loadSpec(t, yaml)
	up, err := stripTagPrefixes(doc)
	if err != nil {
		t.Fatal(err)
	}
	table, err := readOperations(doc, up, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := stripSchemaPrefixes(doc); err != nil {
		t.Fatal(err)
	}
	if err := hoistRequestBodies(doc); err != nil {
		t.Fatal(err)
	}
	lists, err := listOperations(doc)
	if err != nil {
		t.Fatal(err)
	}
	// oapi-codegen sets up its initialisms (and renames operation ids to Go
	// names) as it runs; the services are named after it, as in generate.
	cfg := codegen.Configuration{PackageName: "gen", Generate: codegen.GenerateOptions{Models: true, Client: true},
		OutputOptions: codegen.OutputOptions{NameNormalizer: string(codegen.NameNormalizerFunctionToCamelCaseWithInitialisms)}}
	if _, err := codegen.Generate(doc, cfg.UpdateDefaults()); err != nil {
		t.Fatal(err)
	}
	return doc, table, lists
}

// TestServicesAndMethodsAreNamedByRule: every rule of resourceServices on
// one spec: the call each operation becomes.
func TestServicesAndMethodsAreNamedByRule(t *testing.T) {
	doc, table, lists := prepared(t, servicesSpec)
	goName := codegen.NameNormalizers[codegen.NameNormalizerFunctionToCamelCaseWithInitialisms]
	services, err := resourceServices(doc, table, lists, goName)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, svc := range services {
		for _, m := range svc.Methods {
			args := []string{}
			for _, a := range m.Args {
				args = append(args, a.Name)
			}
			if m.Params != "" {
				args = append(args, "params")
			}
			if m.Body != "" {
				args = append(args, "body:"+m.Body)
			}
			result := m.Result
			if result == "" {
				result = "error only"
			}
			got[m.ID] = svc.Name + "." + m.Name + "(" + strings.Join(args, ", ") + ") " + result
		}
	}
	want := map[string]string{
		"ListSecrets":          "Secrets.List(params) ListSecretsResponse",
		"UpdateSecret":         "Secrets.Update(secretID, body:UpdateSecretBody) Secret",
		"DeleteSecret":         "Secrets.Delete(secretID) error only",
		"GetDeployment":        "Deployments.Get(deploymentID) Secret",
		"UndeleteDeployment":   "Deployments.Undelete(deploymentID) error only", // an empty body is sent as {} by the method
		"GetLedger":            "Deployments.GetLedger(deploymentID) Secret",    // a singleton belongs to its resource
		"ListDeploymentShards": "DeploymentShards.List(deploymentID, params) ListSecretsResponse",
		"CreateApiKey":         "APIKeys.Create(userID, body:Secret) Secret", // the ids say ApiKey, not UserApiKey
		"GetApiKey":            "APIKeys.Get(userID, keyID) Secret",
		"GetPolicySettings":    "Accounts.GetPolicySettings() Secret", // a singleton of the account
		"RefreshSessionToken":  "Auth.RefreshSessionToken() Secret",   // no collection: the first segment
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d operations placed, want %d: %v", len(got), len(want), got)
	}
}

// TestServiceClashesFailGeneration: two collections that would be one
// service, or two operations that would be one method, fail loudly.
func TestServiceClashesFailGeneration(t *testing.T) {
	goName := codegen.NameNormalizers[codegen.NameNormalizerFunctionToCamelCaseWithInitialisms]
	// Two "secrets" collections: under the account and at the root.
	twoSecrets := strings.Replace(servicesSpec, "  /v1/auth/refresh:", `  /v1/secrets/{secret_id}:
    get:
      operationId: Gateway_GetRootSecret
      tags: [Gateway]
      parameters:
        - {name: secret_id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /v1/auth/refresh:`, 1)
	doc, table, lists := prepared(t, twoSecrets)
	if _, err := resourceServices(doc, table, lists, goName); err == nil || !strings.Contains(err.Error(), "both be service Secrets") {
		t.Errorf("err = %v, want the clash of two Secrets services", err)
	}
	// Two operations that become Secrets.Delete.
	twoDeletes := strings.Replace(servicesSpec, "    delete:\n      operationId: Gateway_DeleteSecret", "    post:\n      operationId: Gateway_DeleteSecrets", 1)
	twoDeletes = strings.Replace(twoDeletes, "  /v1/accounts/{account_id}/deployments/{deployment_id}:\n", `    delete:
      operationId: Gateway_DeleteSecret
      tags: [Gateway]
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: string}}
        - {name: secret_id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /v1/accounts/{account_id}/deployments/{deployment_id}:
`, 1)
	doc, table, lists = prepared(t, twoDeletes)
	if _, err := resourceServices(doc, table, lists, goName); err == nil || !strings.Contains(err.Error(), "would both be Secrets.Delete") {
		t.Errorf("err = %v, want the clash of two Secrets.Delete", err)
	}
}

// TestSchemaNamesLoseTheGatewayPrefix: gatewayX and GatewayX become X,
// every $ref follows, other names stay, and a clash fails.
func TestSchemaNamesLoseTheGatewayPrefix(t *testing.T) {
	doc, _, _ := prepared(t, servicesSpec)
	for _, name := range []string{"Secret", "UndeleteDeploymentBody", "ListSecretsResponse", "UpdateSecretBody"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no schema %s after the renames (have %v)", name, sortedSchemaNames(doc))
		}
	}
	for _, name := range sortedSchemaNames(doc) {
		if strings.HasPrefix(strings.ToLower(name), "gateway") {
			t.Errorf("schema %s kept its prefix", name)
		}
	}
	eachSchemaRef(doc, func(ref *openapi3.SchemaRef) {
		if strings.Contains(ref.Ref, "gateway") || strings.Contains(ref.Ref, "Gateway") {
			t.Errorf("a $ref still points to %s", ref.Ref)
		}
	})
	if _, ok := withoutGatewayPrefix("gatewayish"); ok {
		t.Error("gatewayish lost a prefix that is not one")
	}

	clash := loadSpec(t, strings.Replace(servicesSpec, "    GatewayUndeleteDeploymentBody:", "    Secret:\n      type: object\n    GatewayUndeleteDeploymentBody:", 1))
	if err := stripSchemaPrefixes(clash); err == nil || !strings.Contains(err.Error(), `would both be named "Secret"`) {
		t.Errorf("err = %v, want the clash of Secret and gatewaySecret", err)
	}
}

// TestInlineBodiesAreNamedAfterTheirOperation: an inline request body
// becomes <operation>Body; a name already taken fails.
func TestInlineBodiesAreNamedAfterTheirOperation(t *testing.T) {
	doc := loadSpec(t, servicesSpec)
	if _, err := stripTagPrefixes(doc); err != nil {
		t.Fatal(err)
	}
	doc.Components.Schemas["UpdateSecretBody"] = &openapi3.SchemaRef{Value: openapi3.NewObjectSchema()}
	if err := hoistRequestBodies(doc); err == nil || !strings.Contains(err.Error(), `"UpdateSecretBody"`) {
		t.Errorf("err = %v, want the taken name reported", err)
	}
}

// TestMethodNames: the noun comes off as a whole word, longest first.
func TestMethodNames(t *testing.T) {
	for _, tc := range []struct {
		goName string
		nouns  []string
		want   string
	}{
		{"UpdateSecret", []string{"Secrets", "Secret"}, "Update"},
		{"GetDatasetUploadEndpoint", []string{"Datasets", "Dataset"}, "GetUploadEndpoint"},
		{"ListEvaluatorVersions", []string{"EvaluatorVersions", "EvaluatorVersion", "Versions", "Version", "Evaluators", "Evaluator"}, "List"},
		{"RollbackEvaluator", []string{"EvaluatorVersions", "EvaluatorVersion", "Versions", "Version", "Evaluators", "Evaluator"}, "Rollback"},
		{"UpdateSecretary", []string{"Secrets", "Secret"}, "UpdateSecretary"}, // Secret is not a whole word there
		{"Secrets", []string{"Secrets"}, "Secrets"},                           // nothing would be left
		{"CreateEvaluatorV2", []string{"Evaluators", "Evaluator"}, "CreateV2"},
	} {
		if got := methodName(tc.goName, tc.nouns); got != tc.want {
			t.Errorf("methodName(%s) = %s, want %s", tc.goName, got, tc.want)
		}
	}
	for plural, want := range map[string]string{"Secrets": "Secret", "DeveloperPasses": "DeveloperPass", "Policies": "Policy", "Usage": "Usage", "Access": "Access"} {
		if got := singular(plural); got != want {
			t.Errorf("singular(%s) = %s, want %s", plural, got, want)
		}
	}
}

// TestDuplicateDeclarationsFail: a name declared twice in generated code
// is reported with the name.
func TestDuplicateDeclarationsFail(t *testing.T) {
	src := []byte("package gen\n\ntype Secret struct{}\n\ntype ListSecretsResponse struct{}\n\ntype Secret = ListSecretsResponse\n")
	if err := checkUniqueDeclarations(src); err == nil || !strings.Contains(err.Error(), "Secret is declared twice") {
		t.Errorf("err = %v, want Secret reported", err)
	}
	if err := checkUniqueDeclarations([]byte("package gen\n\nvar _ = 1\nvar _ = 2\n")); err != nil {
		t.Errorf("blank identifiers reported: %v", err)
	}
}
