package io.bpfscope.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM files of bpfscope.tls.*, read and checked as the server will use
 * them: certificates that parse, a private key that is not encrypted and,
 * where its format allows the check (PKCS#8, PKCS#1 RSA), belongs to the
 * first certificate. Each problem is one sentence naming the file.
 */
public final class TlsFiles {

    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]*)-----END \\1PRIVATE KEY-----");
    private static final byte[] PROBE = "bpfscope".getBytes(StandardCharsets.US_ASCII);

    private TlsFiles() {
    }

    /** A file is not what its setting needs. */
    public static final class Invalid extends Exception {
        Invalid(String setting, Path file, String problem) {
            super(setting + " " + file + ": " + problem);
        }
    }

    /** Checks the server's certificate and key, and the client CA when given; returns the certificate. */
    public static X509Certificate check(Path certFile, Path keyFile, Optional<Path> clientCaFile) throws Invalid {
        X509Certificate certificate = certificates(TlsSettings.CERT_FILE, certFile).getFirst();
        keyOf(certificate, keyFile);
        if (clientCaFile.isPresent()) {
            certificates(TlsSettings.CLIENT_CA_FILE, clientCaFile.get());
        }
        return certificate;
    }

    /** The certificates of a PEM file, at least one. */
    static List<X509Certificate> certificates(String setting, Path file) throws Invalid {
        byte[] pem = read(setting, file);
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new Invalid(setting, file, "holds no PEM certificate");
        }
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)).stream().map(X509Certificate.class::cast)
                    .toList();
            return certificates;
        } catch (CertificateException e) {
            throw new Invalid(setting, file, "is not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static void keyOf(X509Certificate certificate, Path file) throws Invalid {
        String setting = TlsSettings.KEY_FILE;
        Matcher block = KEY_BLOCK.matcher(new String(read(setting, file), StandardCharsets.US_ASCII));
        if (!block.find()) {
            throw new Invalid(setting, file, "holds no PEM private key");
        }
        String kind = block.group(1).strip();
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new Invalid(setting, file, "is not valid PEM (" + e.getMessage() + ")");
        }
        byte[] pkcs8 = switch (kind) {
            case "" -> der;
            case "RSA" -> Pkcs8.wrapRsa(der);
            case "ENCRYPTED" -> throw new Invalid(setting, file, "is encrypted; give the key unencrypted");
            // SEC1 EC keys carry their curve inside: the server reads them, this check does not.
            default -> null;
        };
        if (pkcs8 == null) {
            return;
        }
        PublicKey publicKey = certificate.getPublicKey();
        try {
            PrivateKey key = KeyFactory.getInstance(publicKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            String algorithm = switch (publicKey.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> publicKey.getAlgorithm();
            };
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw new Invalid(setting, file, "is not the key of the certificate in " + TlsSettings.CERT_FILE);
            }
        } catch (GeneralSecurityException e) {
            throw new Invalid(setting, file, "is not a " + publicKey.getAlgorithm()
                    + " private key matching the certificate in " + TlsSettings.CERT_FILE + " (" + e.getMessage() + ")");
        }
    }

    private static byte[] read(String setting, Path file) throws Invalid {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Invalid(setting, file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
