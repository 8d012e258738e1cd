// Command compose-check validates Docker Compose files with compose-go, the
// loader Docker Compose itself uses, so tests need no Docker engine.
//
// Usage: compose-check FILE...
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check FILE...")
		os.Exit(2)
	}
	for _, file := range os.Args[1:] {
		services, err := check(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "invalid %s: %v\n", file, err)
			os.Exit(1)
		}
		fmt.Printf("ok %s (services: %s)\n", file, strings.Join(services, ", "))
	}
}

// check loads one file the way `docker compose config` would and returns its service names.
func check(file string) ([]string, error) {
	opts, err := cli.NewProjectOptions(
		[]string{file},
		// Relative paths (build contexts, bind mounts) resolve against the file's own directory.
		cli.WithWorkingDirectory(filepath.Dir(file)),
		// Only the process environment feeds ${VAR:-default}: no .env file is needed or read.
		cli.WithOsEnv,
		cli.WithInterpolation(true),
		cli.WithConsistency(true),
		// Enable every profile so services behind one are checked too, not silently skipped.
		cli.WithProfiles([]string{"*"}),
	)
	if err != nil {
		return nil, err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return nil, err
	}
	return project.ServiceNames(), nil
}
