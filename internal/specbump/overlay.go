package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/speakeasy-api/openapi/overlay"
	"github.com/speakeasy-api/openapi/overlay/loader"
	goyaml "go.yaml.in/yaml/v3"
	// The overlay library works on gopkg.in/yaml.v3 nodes.
	"gopkg.in/yaml.v3"
)

// staleAction is an overlay action whose target matches nothing in the
// new spec: upstream changed or fixed what it works around.
type staleAction struct {
	number              int // 1-based, as a reader counts the actions
	target, description string
}

func (a staleAction) String() string {
	return fmt.Sprintf("action %d, target %s: %q", a.number, a.target, a.description)
}

// overlayPath returns the overlay that the generator's configuration
// (gen/oapi-codegen.yaml) names, or "" when it names none.
func overlayPath(repo string) (string, error) {
	configPath := filepath.Join(repo, "gen", "oapi-codegen.yaml")
	raw, err := os.ReadFile(configPath)
	if err != nil {
		return "", err
	}
	var config struct {
		OutputOptions struct {
			Overlay struct {
				Path string `yaml:"path"`
			} `yaml:"overlay"`
		} `yaml:"output-options"`
	}
	if err := goyaml.Unmarshal(raw, &config); err != nil {
		return "", fmt.Errorf("%s: %w", configPath, err)
	}
	path := config.OutputOptions.Overlay.Path
	if path == "" || filepath.IsAbs(path) {
		return path, nil
	}
	return filepath.Join(filepath.Dir(configPath), path), nil
}

// checkOverlay returns the actions of the overlay at overlayFile whose
// target matches nothing in spec. It reads the spec as the generator
// does (loaded by kin-openapi, written back as YAML) and applies the
// actions in order with the generator's overlay library, so that each
// action is checked against what the ones before it made, as strict mode
// checks it at generation.
func checkOverlay(overlayFile string, spec []byte) ([]staleAction, error) {
	o, err := loader.LoadOverlay(overlayFile)
	if err != nil {
		return nil, err
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", overlayFile, err)
	}
	doc, err := newLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("the new spec does not load: %w", err)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.NewDecoder(&buf).Decode(&root); err != nil {
		return nil, err
	}

	var stale []staleAction
	for i, action := range o.Actions {
		if !matches(o, action.Target, &root) || copiesNothing(o, action, &root) {
			stale = append(stale, staleAction{number: i + 1, target: action.Target, description: strings.TrimSpace(action.Description)})
			continue
		}
		one := *o
		one.Actions = []overlay.Action{action}
		if err := one.ApplyTo(&root); err != nil {
			return nil, fmt.Errorf("%s: action %d (target %s): %w", overlayFile, i+1, action.Target, err)
		}
	}
	return stale, nil
}

func matches(o *overlay.Overlay, target string, root *yaml.Node) bool {
	path, err := o.NewPath(target, nil)
	return err == nil && len(path.Query(root)) > 0
}

// copiesNothing reports whether a copy action's source matches nothing.
func copiesNothing(o *overlay.Overlay, action overlay.Action, root *yaml.Node) bool {
	return action.Copy != "" && !action.Remove && action.Update.IsZero() && !matches(o, action.Copy, root)
}
