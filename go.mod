module github.com/piaowu/wht93

go 1.24

require (
	github.com/guanguans/id-validator v1.3.0
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/jackc/pgx/v5 v5.7.6
	github.com/makiuchi-d/gozxing v0.1.1
	github.com/nsqio/go-diskqueue v1.1.0
	github.com/piglig/go-qr v1.1.0
	github.com/shopspring/decimal v1.4.0
	go.etcd.io/bbolt v1.4.3
	golang.org/x/text v0.24.0
	pgregory.net/rapid v1.2.0
)

require (
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.2 // indirect
	github.com/spf13/cast v1.6.0 // indirect
	golang.org/x/crypto v0.37.0 // indirect
	golang.org/x/sync v0.13.0 // indirect
	golang.org/x/sys v0.32.0 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)
