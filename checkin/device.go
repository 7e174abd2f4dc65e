package checkin

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/piaowu/wht93"
)

// Network is how a check-in device reaches its node, as its heartbeat says.
// It is a small value, safe for concurrent use.
type Network uint8

// The network states of a device.
const (
	// NetOnline: the device talks to the online server (在线模式).
	NetOnline Network = 1
	// NetLAN: the device talks to a LAN node (局域网模式).
	NetLAN Network = 2
	// NetOffline: the device reaches no node; it queues or refuses.
	NetOffline Network = 3
)

// String returns "online", "lan" or "offline".
func (n Network) String() string {
	switch n {
	case NetOnline:
		return "online"
	case NetLAN:
		return "lan"
	case NetOffline:
		return "offline"
	}
	return "network(" + strconv.Itoa(int(n)) + ")"
}

// Zh returns 在线, 局域网 or 离线.
func (n Network) Zh() string {
	switch n {
	case NetOnline:
		return "在线"
	case NetLAN:
		return "局域网"
	case NetOffline:
		return "离线"
	}
	return "未知"
}

// Heartbeat is what a check-in device reports of itself periodically
// (6.3.6.2.1 检票硬件设备运行状态): its network, its battery, its last scan.
// A Heartbeat is a plain value.
type Heartbeat struct {
	Device   string
	Gate     string
	At       time.Time
	Network  Network
	Battery  int  // percent, 0–100
	Charging bool // on mains power
	LastScan time.Time
}

// Validate returns every violation of the heartbeat.
func (h *Heartbeat) Validate() error {
	var vs wht93.Violations
	if !textOK(h.Device, 1, MaxNameLen) {
		vs = append(vs, ErrMonitor.Atf("device", h.Device, "设备名称应为1至64个字符", "device name must be 1 to 64 characters"))
	}
	if !textOK(h.Gate, 1, MaxNameLen) {
		vs = append(vs, ErrMonitor.Atf("gate", h.Gate, "检票口名称应为1至64个字符", "gate name must be 1 to 64 characters"))
	}
	if h.At.IsZero() {
		vs = append(vs, ErrMonitor.Atf("at", "", "缺少心跳时间", "heartbeat time is missing"))
	}
	if h.Network < NetOnline || h.Network > NetOffline {
		vs = append(vs, ErrMonitor.Atf("network", strconv.Itoa(int(h.Network)), "网络状态应为在线、局域网或离线", "network must be online, lan or offline"))
	}
	if h.Battery < 0 || h.Battery > 100 {
		vs = append(vs, ErrMonitor.Atf("battery", strconv.Itoa(h.Battery), "电量应为0至100", "battery must be 0 to 100 percent"))
	}
	return vs.Err()
}

// DeviceSettings configure a DeviceMonitor. A DeviceSettings is a plain value.
type DeviceSettings struct {
	// StaleAfter is how long without a heartbeat makes a device stale; 0 means
	// one minute.
	StaleAfter time.Duration
	// LowBattery is the battery percent at or below which a device not charging
	// is reported; 0 means 20.
	LowBattery int
}

// DeviceStatus is a device as the monitor last heard of it, with what is wrong.
// A DeviceStatus is a plain value.
type DeviceStatus struct {
	Heartbeat
	Scans      int  // scans reported through Scanned
	Stale      bool // no heartbeat for StaleAfter
	LowBattery bool // at or below LowBattery and not charging
	Offline    bool // its last heartbeat said NetOffline
}

// OK reports whether nothing is wrong with the device.
func (d DeviceStatus) OK() bool { return !d.Stale && !d.LowBattery && !d.Offline }

// Zh describes the device in Chinese.
func (d DeviceStatus) Zh() string {
	var b strings.Builder
	fmt.Fprintf(&b, "设备 %s（检票口 %s）：网络 %s，电量 %d%%", d.Device, d.Gate, d.Network.Zh(), d.Battery)
	if d.Charging {
		b.WriteString("（充电中）")
	}
	if !d.LastScan.IsZero() {
		fmt.Fprintf(&b, "，最后检票 %s", d.LastScan.In(wht93.CST).Format("15:04:05"))
	}
	fmt.Fprintf(&b, "，检票 %d 次", d.Scans)
	var bad []string
	if d.Stale {
		bad = append(bad, "心跳超时")
	}
	if d.LowBattery {
		bad = append(bad, "电量低")
	}
	if d.Offline {
		bad = append(bad, "离线")
	}
	if len(bad) > 0 {
		b.WriteString("【" + strings.Join(bad, "、") + "】")
	}
	return b.String()
}

// En describes the device in English.
func (d DeviceStatus) En() string {
	var b strings.Builder
	fmt.Fprintf(&b, "device %s (gate %s): network %s, battery %d%%", d.Device, d.Gate, d.Network, d.Battery)
	if d.Charging {
		b.WriteString(" (charging)")
	}
	if !d.LastScan.IsZero() {
		fmt.Fprintf(&b, ", last scan %s", d.LastScan.In(wht93.CST).Format("15:04:05"))
	}
	fmt.Fprintf(&b, ", %d scans", d.Scans)
	var bad []string
	if d.Stale {
		bad = append(bad, "stale")
	}
	if d.LowBattery {
		bad = append(bad, "low battery")
	}
	if d.Offline {
		bad = append(bad, "offline")
	}
	if len(bad) > 0 {
		b.WriteString(" [" + strings.Join(bad, ", ") + "]")
	}
	return b.String()
}

// DeviceMonitor keeps the last heartbeat of each check-in device and reports
// the stale, offline and low-battery ones (6.3.6.2.1, E.2.8 c). It reads no
// clock: instants come with the heartbeats and with Devices. A DeviceMonitor
// is safe for concurrent use.
type DeviceMonitor struct {
	s  DeviceSettings
	mu sync.Mutex
	ds map[string]*DeviceStatus
}

// NewDeviceMonitor returns a monitor with settings s, or the violations of
// settings out of bounds.
func NewDeviceMonitor(s DeviceSettings) (*DeviceMonitor, error) {
	var vs wht93.Violations
	if s.StaleAfter < 0 {
		vs = append(vs, ErrMonitor.Atf("staleAfter", s.StaleAfter.String(), "心跳超时不能为负", "stale-after must not be negative"))
	}
	if s.LowBattery < 0 || s.LowBattery > 100 {
		vs = append(vs, ErrMonitor.Atf("lowBattery", strconv.Itoa(s.LowBattery), "低电量阈值应为0至100", "low battery must be 0 to 100 percent"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if s.StaleAfter == 0 {
		s.StaleAfter = time.Minute
	}
	if s.LowBattery == 0 {
		s.LowBattery = 20
	}
	return &DeviceMonitor{s: s, ds: map[string]*DeviceStatus{}}, nil
}

// Heartbeat records a device's heartbeat; an invalid one is refused with its
// violations and changes nothing. A heartbeat older than the one kept is
// ignored.
func (m *DeviceMonitor) Heartbeat(h Heartbeat) error {
	if err := h.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.ds[h.Device]
	if d == nil {
		d = &DeviceStatus{}
		m.ds[h.Device] = d
	} else if h.At.Before(d.At) {
		return nil
	}
	last := d.LastScan
	d.Heartbeat = h
	if last.After(h.LastScan) {
		d.LastScan = last
	}
	return nil
}

// Scanned records a scan by a device, known or not (a device seen by its scans
// before its first heartbeat is listed, and stale until one arrives).
func (m *DeviceMonitor) Scanned(device, gate string, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.ds[device]
	if d == nil {
		d = &DeviceStatus{Heartbeat: Heartbeat{Device: device, Gate: gate}}
		m.ds[device] = d
	}
	d.Scans++
	if at.After(d.LastScan) {
		d.LastScan = at
	}
}

// Devices returns every device's status at now, by device name.
func (m *DeviceMonitor) Devices(now time.Time) []DeviceStatus {
	m.mu.Lock()
	out := make([]DeviceStatus, 0, len(m.ds))
	for _, d := range m.ds {
		s := *d
		s.Stale = s.At.IsZero() || now.Sub(s.At) > m.s.StaleAfter
		s.LowBattery = !s.At.IsZero() && !s.Charging && s.Battery <= m.s.LowBattery
		s.Offline = s.Network == NetOffline
		out = append(out, s)
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b DeviceStatus) int { return cmp.Compare(a.Device, b.Device) })
	return out
}

// Alerts returns the devices with something wrong at now: stale, offline or
// low on battery.
func (m *DeviceMonitor) Alerts(now time.Time) []DeviceStatus {
	return slices.DeleteFunc(m.Devices(now), DeviceStatus.OK)
}
