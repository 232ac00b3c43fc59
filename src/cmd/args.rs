//! Flag groups several commands share: the global flags and where istioctl comes from. No
//! command imports another; they all import this.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::istioctl::{DEFAULT_MIRROR, IstioctlSource, PINNED_VERSION};
use crate::kube::ClusterTarget;
use crate::manifests::MeshConfig;
use crate::output::{OutputFormat, Printer};

/// `-o`: the printer's formats, named for the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    Text,
    Json,
    Yaml,
}

impl From<OutputArg> for OutputFormat {
    fn from(arg: OutputArg) -> Self {
        match arg {
            OutputArg::Text => OutputFormat::Text,
            OutputArg::Json => OutputFormat::Json,
            OutputArg::Yaml => OutputFormat::Yaml,
        }
    }
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use [default: the current context]
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The application namespace [default: the config file's, else production]
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub namespace: Option<String>,

    /// Output format
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputArg::Text)]
    pub output: OutputArg,

    /// Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Print only the result: no progress, no status lines
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// How long to wait for one API request (e.g. 10s, 1m)
    #[arg(long, global = true, value_parser = positive_duration, default_value = "30s", value_name = "DURATION")]
    pub request_timeout: Duration,
}

/// The seed's application namespace.
pub const DEFAULT_NAMESPACE: &str = "production";

impl GlobalArgs {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }

    pub fn cluster_target(&self) -> ClusterTarget {
        ClusterTarget {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            request_timeout: Some(self.request_timeout),
        }
    }

    pub fn printer(&self) -> Printer {
        Printer::new(self.output.into(), self.no_color, self.quiet, self.verbose)
    }

    /// The manifests' values: `--config` or the seed's, with `-n` winning over the file.
    pub fn mesh_config(&self, path: Option<&Path>) -> anyhow::Result<MeshConfig> {
        Ok(MeshConfig::resolve(path, self.namespace.as_deref())?)
    }

    /// The istioctl flags that point it at the same cluster meshctl talks to.
    pub fn istioctl_cluster_flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if let Some(kubeconfig) = &self.kubeconfig {
            flags.extend(["--kubeconfig".to_string(), kubeconfig.display().to_string()]);
        }
        if let Some(context) = &self.context {
            flags.extend(["--context".to_string(), context.clone()]);
        }
        flags
    }
}

/// Where istioctl comes from; shared by install and uninstall.
#[derive(Debug, Args)]
pub struct IstioctlArgs {
    /// Use this istioctl binary instead of the cached or downloaded one
    #[arg(long, value_name = "PATH")]
    pub istioctl: Option<PathBuf>,

    /// Istio version to download and install
    #[arg(long, default_value = PINNED_VERSION, value_name = "VERSION")]
    pub istio_version: String,

    /// Release mirror (https://, http:// or file://); archives are <mirror>/<version>/istioctl-<version>-<os>-<arch>.tar.gz
    #[arg(long, env = "MESHCTL_ISTIO_MIRROR", hide_env_values = true, default_value = DEFAULT_MIRROR, value_name = "URL")]
    pub mirror: String,
}

impl IstioctlArgs {
    pub fn source(&self) -> IstioctlSource {
        IstioctlSource {
            explicit: self.istioctl.clone(),
            version: self.istio_version.clone(),
            mirror: self.mirror.clone(),
            cache_root: IstioctlSource::default_cache_root(),
        }
    }
}

/// A duration above zero (`0s` would make every wait fail at once), e.g. `30s`, `5m`.
pub fn positive_duration(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Err("must be longer than 0s (e.g. 30s, 5m)".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(format!("{e} (write e.g. 30s, 5m, 1h)")),
    }
}
