package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/errref/errref"
)

// env is what a command sees of the world, so tests can run commands in
// process with their own directory and output.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand: its one-line summary and its entry point.
type command struct {
	summary string
	run     func(e *env, args []string) error
}

// commands is filled by the init functions of the files that implement
// them, so each command lives in a file of its own.
var commands = map[string]command{}

// usageError is a mistake in how the command was called: exit status 2.
// printed means the flag package has already said it, with the usage.
type usageError struct {
	msg     string
	printed bool
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errProblems means the content has problems that were already printed:
// exit status 1 with nothing more to say.
var errProblems = errors.New("content has problems")

// errInterrupted means the user stopped the command (Ctrl-C) before it
// was done: exit status 130, as a shell reports a command that SIGINT
// ended (128 + 2), so that a script does not take the run for a pass.
var errInterrupted = errors.New("interrupted")

func main() {
	os.Exit(run(os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// run executes one command line and returns the exit status: 0 fine, 1 the
// content has problems (or the command failed), 2 usage error, 130
// interrupted.
func run(args []string, e *env) int {
	// "errref help build" is "errref build -h".
	if len(args) == 2 && args[0] == "help" {
		if _, ok := commands[args[1]]; ok {
			args = []string{args[1], "-h"}
		}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		w := e.stderr
		code := 2
		if len(args) > 0 {
			w, code = e.stdout, 0
		}
		printUsage(w)
		return code
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "errref: unknown command %q\n", args[0])
		if s := errref.Suggest(args[0], commandNames()); s != "" {
			fmt.Fprintf(e.stderr, "did you mean %q?\n", s)
		}
		fmt.Fprintf(e.stderr, "run 'errref help' for the list of commands\n")
		return 2
	}
	err := cmd.run(e, args[1:])
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		if !ue.printed {
			fmt.Fprintf(e.stderr, "errref %s: %s\n", args[0], ue.msg)
		}
		return 2
	case errors.Is(err, errProblems):
		return 1
	case errors.Is(err, errInterrupted):
		fmt.Fprintf(e.stderr, "errref %s: %v\n", args[0], err)
		return 130
	default:
		fmt.Fprintf(e.stderr, "errref %s: %v\n", args[0], err)
		return 1
	}
}

func commandNames() []string {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "errref builds and checks the errref error-code reference.\n\nUsage:\n\n\terrref <command> [flags] [arguments]\n\nCommands:\n\n")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "\t%-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'errref <command> -h' for a command's flags.\n")
}

// newFlags returns a flag set that reports errors instead of exiting, with
// a usage message built from the command's summary.
func newFlags(e *env, name, argsUsage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: errref %s [flags] %s\n\n%s\n", name, argsUsage, commands[name].summary)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintf(e.stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args and turns a flag error into a usage error (the
// flag package has already printed what was wrong and the usage).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error(), printed: true}
	}
	return nil
}
