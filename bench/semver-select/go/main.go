// Go side of the semver-select benchmark (see ../README.md): the selection the upstream semver
// strategy performs, with Masterminds/semver v3, over the tag file the C++ side reads.
//
//	semver-select-go FILE CONSTRAINT [REPS]
//
// Each repetition parses every tag with NewVersion (skipping errors), keeps those that satisfy
// the constraint and returns the greatest; equal versions are ordered by their original text,
// the greater text wins. An empty CONSTRAINT means "*". Only the selection is timed.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/Masterminds/semver/v3"
)

func selectBest(tags []string, c *semver.Constraints) (string, bool) {
	var best *semver.Version
	bestTag := ""
	for _, tag := range tags {
		v, err := semver.NewVersion(tag)
		if err != nil {
			continue
		}
		if !c.Check(v) {
			continue
		}
		if best == nil || v.GreaterThan(best) || (v.Equal(best) && tag > bestTag) {
			best = v
			bestTag = tag
		}
	}
	return bestTag, best != nil
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: semver-select-go FILE CONSTRAINT [REPS=21]")
		os.Exit(2)
	}
	reps := 21
	if len(os.Args) > 3 {
		n, err := strconv.Atoi(os.Args[3])
		if err != nil || n <= 0 {
			fmt.Fprintln(os.Stderr, "REPS must be a positive integer")
			os.Exit(2)
		}
		reps = n
	}

	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var tags []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		tags = append(tags, sc.Text())
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()

	text := os.Args[2]
	if text == "" {
		text = "*"
	}
	c, err := semver.NewConstraint(text)
	if err != nil {
		fmt.Fprintln(os.Stderr, "invalid constraint:", err)
		os.Exit(1)
	}

	ms := make([]float64, 0, reps)
	chosen, found := "", false
	for r := 0; r < reps; r++ {
		// Start every repetition from a collected heap so repetitions are comparable; the
		// allocations a repetition makes (and any GC they trigger) are still timed.
		runtime.GC()
		start := time.Now()
		tag, ok := selectBest(tags, c)
		elapsed := time.Since(start)
		ms = append(ms, float64(elapsed.Nanoseconds())/1e6)
		if r > 0 && (tag != chosen || ok != found) {
			fmt.Fprintln(os.Stderr, "selection is not deterministic")
			os.Exit(1)
		}
		chosen, found = tag, ok
	}
	sort.Float64s(ms)
	if !found {
		chosen = "<none>"
	}
	fmt.Println("impl: go Masterminds/semver/v3")
	fmt.Printf("tags: %d\n", len(tags))
	fmt.Printf("chosen: %s\n", chosen)
	fmt.Printf("reps: %d\n", reps)
	fmt.Printf("best_ms: %.4f\n", ms[0])
	fmt.Printf("median_ms: %.4f\n", ms[len(ms)/2])
}
