//! Certificates made in the test (rcgen): a CA the engine is told to trust, certificates
//! it signs, and self-signed ones, for Braid's own loopback HTTPS mirror (rustls
//! configurations) and for real servers (PEM files).

use std::sync::Arc;

use super::web::Pem;

/// A CA made for the test.
pub struct TestCa(rcgen::CertifiedIssuer<'static, rcgen::KeyPair>);

/// A certificate and its key, as made.
pub struct Made {
    cert: rcgen::Certificate,
    key: rcgen::KeyPair,
}

impl TestCa {
    pub fn new() -> Self {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Braid test CA");
        let key = rcgen::KeyPair::generate().unwrap();
        TestCa(rcgen::CertifiedIssuer::self_signed(params, key).unwrap())
    }

    /// The engine's trust: this CA besides the system's store.
    pub fn trust(&self) -> braid::engine::Trust {
        braid::engine::Trust::default().with_certificate(self.0.der().to_vec())
    }

    /// The CA's certificate, PEM-encoded (what `SSL_CERT_FILE` names).
    pub fn pem(&self) -> String {
        self.0.pem()
    }

    /// A certificate for `names`, signed by this CA.
    pub fn issue(&self, names: &[&str]) -> Made {
        let key = rcgen::KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.0)
            .unwrap();
        Made { cert, key }
    }

    /// A rustls server configuration with a certificate for `names`, signed by this CA.
    pub fn server(&self, names: &[&str]) -> Arc<rustls::ServerConfig> {
        self.issue(names).server()
    }
}

/// A self-signed certificate for `name`.
pub fn self_signed(name: &str) -> Made {
    let made = rcgen::generate_simple_self_signed(vec![name.to_owned()]).unwrap();
    Made {
        cert: made.cert,
        key: made.signing_key,
    }
}

impl Made {
    /// A rustls server configuration presenting this certificate.
    pub fn server(&self) -> Arc<rustls::ServerConfig> {
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(self.key.serialize_der().into());
        Arc::new(
            rustls::ServerConfig::builder()
                .with_no_client_auth()
                .with_single_cert(vec![self.cert.der().clone()], key)
                .unwrap(),
        )
    }

    /// The certificate and key as PEM files want them.
    pub fn pem(&self) -> Pem {
        Pem {
            chain: self.cert.pem(),
            key: self.key.serialize_pem(),
        }
    }
}
