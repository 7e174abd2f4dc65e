package storetest

import (
	"reflect"
	"strings"
)

// auditMethod reports whether v has an exported method whose name begins with
// prefix, and its name.
func auditMethod(v any, prefix string) (string, bool) {
	t := reflect.TypeOf(v)
	for i := range t.NumMethod() {
		if name := t.Method(i).Name; strings.HasPrefix(name, prefix) {
			return name, true
		}
	}
	return "", false
}
