package rules

import "strings"

// NormalizeMessage folds a displayed message for comparison: case, runs
// of white space and a trailing "(Error code: …)" do not matter.
func NormalizeMessage(m string) string {
	m = strings.ToLower(strings.Join(strings.Fields(m), " "))
	if i := strings.LastIndex(m, "(error code"); i > 0 {
		m = strings.TrimSpace(m[:i])
	}
	return m
}

// SameMessage groups items by the messages they show: given the messages
// of each item, it returns for each item the other items that show one
// of its messages (NormalizeMessage), in the order of its messages and,
// for each message, in item order. The site lists them on a code's page
// and check asks the note to tell them apart, from this one grouping.
func SameMessage(messages [][]string) [][]int {
	byMsg := map[string][]int{}
	for i, ms := range messages {
		seen := map[string]bool{}
		for _, m := range ms {
			if k := NormalizeMessage(m); !seen[k] {
				seen[k] = true
				byMsg[k] = append(byMsg[k], i)
			}
		}
	}
	out := make([][]int, len(messages))
	for i, ms := range messages {
		dup := map[int]bool{i: true}
		for _, m := range ms {
			for _, o := range byMsg[NormalizeMessage(m)] {
				if !dup[o] {
					dup[o] = true
					out[i] = append(out[i], o)
				}
			}
		}
	}
	return out
}
