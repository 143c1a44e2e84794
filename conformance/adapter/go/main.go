// Command dec-adapter is a minimal adapter for the harmony-spec conformance runner, written in Go
// with no dependencies beyond Go itself, to show the protocol from a language other than TypeScript.
//
// It runs the numeric/dec_arith vectors whose op is add or sub (Dec mantissas are two's-complement
// big-endian byte strings; a result of magnitude 2^315 or more is numeric/overflow) and answers
// "unsupported" to every other run. A real client adapter has the same loop and calls the client.
//
//	deno task conformance --adapter "go run conformance/adapter/go/main.go" --handler dec_arith
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
)

// decLimit is 2^315: a Dec mantissa's magnitude must stay below it.
var decLimit = new(big.Int).Lsh(big.NewInt(1), 315)

// readBytes reads a byte string of the JSON mapping: {"$bytes": "0x..."}.
func readBytes(value any) ([]byte, error) {
	m, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a byte string")
	}
	text, ok := m["$bytes"].(string)
	if !ok || !strings.HasPrefix(text, "0x") {
		return nil, fmt.Errorf("not a byte string")
	}
	return hex.DecodeString(text[2:])
}

// writeBytes writes a byte string in the JSON mapping.
func writeBytes(b []byte) map[string]string {
	return map[string]string{"$bytes": "0x" + hex.EncodeToString(b)}
}

// signed reads two's-complement big-endian bytes; the empty string is zero.
func signed(b []byte) *big.Int {
	v := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

// signedBytes writes the shortest two's-complement big-endian bytes; zero is the empty string.
func signedBytes(v *big.Int) []byte {
	if v.Sign() == 0 {
		return []byte{}
	}
	n := 1
	for {
		half := new(big.Int).Lsh(big.NewInt(1), uint(8*n-1))
		if v.Cmp(new(big.Int).Neg(half)) >= 0 && v.Cmp(half) < 0 {
			break
		}
		n++
	}
	t := new(big.Int).Set(v)
	if t.Sign() < 0 {
		t.Add(t, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	return t.FillBytes(make([]byte, n))
}

// run answers one "run" message.
func run(msg map[string]any) map[string]any {
	result := map[string]any{"type": "result", "id": msg["id"]}
	inputs, _ := msg["inputs"].(map[string]any)
	op, _ := inputs["op"].(string)
	if msg["runner"] != "numeric" || msg["handler"] != "dec_arith" || (op != "add" && op != "sub") {
		result["status"] = "unsupported"
		result["reason"] = "this example implements dec_arith add and sub only"
		return result
	}
	a, errA := readBytes(inputs["a"])
	b, errB := readBytes(inputs["b"])
	if errA != nil || errB != nil {
		result["status"] = "error"
		result["message"] = "inputs a and b must be byte strings"
		return result
	}
	sum := new(big.Int)
	if op == "add" {
		sum.Add(signed(a), signed(b))
	} else {
		sum.Sub(signed(a), signed(b))
	}
	if sum.CmpAbs(decLimit) >= 0 {
		result["status"] = "rejected"
		result["error"] = "numeric/overflow"
		return result
	}
	result["status"] = "ok"
	result["outputs"] = map[string]any{"result": writeBytes(signedBytes(sum))}
	return result
}

func main() {
	// bufio.Reader, not bufio.Scanner: a Scanner refuses lines over 64 KiB by default.
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out) // one JSON value and a newline per Encode
	for {
		line, err := in.ReadString('\n')
		if strings.TrimSpace(line) != "" {
			var msg map[string]any
			if json.Unmarshal([]byte(line), &msg) != nil {
				fmt.Fprintln(os.Stderr, "dec-adapter: not a JSON line")
				os.Exit(1)
			}
			switch msg["type"] {
			case "hello":
				enc.Encode(map[string]any{
					"type": "hello", "protocol": 1, "name": "dec-adapter-go", "version": "0.1.0",
					"supports": map[string][]string{"numeric": {"dec_arith"}},
					"presets":  []string{"general"},
				})
			case "run":
				enc.Encode(run(msg))
			case "bye":
				out.Flush()
				return
			}
			out.Flush() // the runner waits for each line: never leave one in the buffer
		}
		if err == io.EOF {
			out.Flush()
			return
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "dec-adapter:", err)
			os.Exit(1)
		}
	}
}
