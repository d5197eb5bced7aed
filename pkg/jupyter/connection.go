package jupyter

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
)

// ConnectionInfo is the content of a kernel connection file: where the
// kernel listens and the key that signs messages.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name"`
}

// NewConnectionInfo picks five free loopback TCP ports and a random key,
// signing with hmac-sha256.
func NewConnectionInfo() (*ConnectionInfo, error) {
	ports, err := freePorts(5)
	if err != nil {
		return nil, fmt.Errorf("jupyter: find free ports: %w", err)
	}
	return &ConnectionInfo{
		Transport:       "tcp",
		IP:              "127.0.0.1",
		ShellPort:       ports[0],
		IOPubPort:       ports[1],
		StdinPort:       ports[2],
		ControlPort:     ports[3],
		HBPort:          ports[4],
		Key:             newID() + newID(),
		SignatureScheme: "hmac-sha256",
	}, nil
}

// freePorts returns n distinct ports the OS reports free on 127.0.0.1. All
// listeners stay open until all are chosen, so the ports differ.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// WriteFile writes the connection file, readable by the owner only since
// it holds the key.
func (c *ConnectionInfo) WriteFile(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// endpoint returns the ZeroMQ address of a port, e.g. "tcp://127.0.0.1:5555".
func (c *ConnectionInfo) endpoint(port int) string {
	return fmt.Sprintf("%s://%s:%d", c.Transport, c.IP, port)
}
